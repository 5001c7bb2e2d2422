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
}
