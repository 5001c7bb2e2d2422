package istanbul.hes.violation;

/** Every SQL statement of the violation outbox. */
final class ViolationSql {
  private ViolationSql() {}

  /**
   * A group of reports (one per card, validator and window; taps summed): added to the pending
   * report of the same key, or a new report with the holder's identity and HES code copied
   * encrypted as they are now. $1 cards, $2 validators, $3 window starts, $4 first taps, $5 last
   * taps, $6 tap counts.
   */
  static final String RECORD =
      "INSERT INTO violation_outbox (id, card_no, validator, window_start, first_at, last_at, taps, "
          + "identity_kind, nationality, identity_enc, hes_code_enc) "
          + "SELECT gen_random_uuid(), v.card, v.validator, v.window_start, v.first_at, v.last_at, v.taps, "
          + "o.identity_kind, o.nationality, o.identity_enc, h.hes_code_enc "
          + "FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::int[]) "
          + "AS v(card, validator, window_start, first_at, last_at, taps) "
          + "LEFT JOIN cards c ON c.card_no = v.card LEFT JOIN owners o ON o.owner_id = c.owner_id "
          + "LEFT JOIN hes_links h ON h.card_no = v.card "
          // One lock order for every writer (nodes write their groups concurrently).
          + "ORDER BY v.card, v.validator, v.window_start "
          + "ON CONFLICT (card_no, validator, window_start) WHERE state = 'PENDING' DO UPDATE SET "
          + "taps = violation_outbox.taps + EXCLUDED.taps, "
          + "first_at = least(violation_outbox.first_at, EXCLUDED.first_at), "
          + "last_at = greatest(violation_outbox.last_at, EXCLUDED.last_at)";

  /**
   * Claims due reports for this node (others skip them): they leave PENDING for SENDING and are
   * reserved until the lease ends. $1 batch size, $2 lease seconds.
   */
  static final String CLAIM =
      "UPDATE violation_outbox o SET state = 'SENDING', next_attempt_at = now() + make_interval(secs => $2) "
          + "FROM (SELECT id FROM violation_outbox WHERE state IN ('PENDING', 'SENDING') AND next_attempt_at <= now() "
          + "ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due WHERE o.id = due.id "
          + "RETURNING o.id, o.card_no, o.validator, o.first_at, o.taps, o.identity_kind, o.nationality, o.identity_enc, "
          + "o.hes_code_enc, o.recorded_at";

  /**
   * The ids the ministry accepted; a report whose person asked for erasure meanwhile loses their
   * identity and code now. $1 ids. Returns recorded_at (delivery latency).
   */
  static final String DELIVERED =
      "UPDATE violation_outbox SET state = 'DELIVERED', delivered_at = now(), attempts = attempts + 1, "
          + "identity_enc = CASE WHEN erase_after_delivery THEN NULL ELSE identity_enc END, "
          + "hes_code_enc = CASE WHEN erase_after_delivery THEN NULL ELSE hes_code_enc END, "
          + "nationality = CASE WHEN erase_after_delivery THEN NULL ELSE nationality END "
          + "WHERE id = ANY($1) AND state = 'SENDING' RETURNING recorded_at";

  /**
   * Reports not accepted: another attempt after a pause drawn with full jitter from
   * [0, min(cap, base·2^attempts)], or given up (DEAD) past the attempt or age limit. $1 ids,
   * $2 error, $3 max attempts, $4 max age seconds, $5 base ms, $6 cap ms. Returns each state.
   */
  static final String RETRY =
      "UPDATE violation_outbox o SET attempts = o.attempts + 1, last_error = $2, "
          + "next_attempt_at = now() + make_interval(secs => random() * least($6, $5 * power(2, least(o.attempts, 30))) / 1000.0), "
          + "state = CASE WHEN o.attempts + 1 >= $3 OR o.recorded_at < now() - make_interval(secs => $4) THEN 'DEAD' ELSE o.state END "
          + "WHERE o.id = ANY($1) AND o.state = 'SENDING' RETURNING o.state";

  /** Reports not delivered yet, and the age in seconds of the oldest. */
  static final String DEPTH =
      "SELECT count(*), coalesce(extract(epoch FROM now() - min(recorded_at)), 0) FROM violation_outbox "
          + "WHERE state IN ('PENDING', 'SENDING')";

  /** Dead letters, oldest first, at most $1. */
  static final String DEAD =
      "SELECT id, card_no, attempts, last_error, recorded_at FROM violation_outbox WHERE state = 'DEAD' ORDER BY recorded_at LIMIT $1";

  /** Dead letters sent again from now on, with a fresh attempt count. $1 ids (all when empty). */
  static final String REQUEUE =
      "UPDATE violation_outbox SET state = 'SENDING', attempts = 0, next_attempt_at = now(), last_error = NULL "
          + "WHERE state = 'DEAD' AND (cardinality($1::uuid[]) = 0 OR id = ANY($1))";
}
