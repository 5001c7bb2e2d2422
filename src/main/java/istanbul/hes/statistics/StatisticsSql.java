package istanbul.hes.statistics;

/** Every SQL statement of the statistics. */
final class StatisticsSql {
  private StatisticsSql() {}

  /** A node's new cards of one day and set: $1 day, $2 set, $3 node, $4 indexes. */
  static final String INSERT_DELTA =
      "INSERT INTO statistics_card_deltas (day, card_set, node, indexes) VALUES ($1, $2, $3, $4)";

  /** A node's tap counts, added: $1 days, $2 decisions, $3 reasons, $4 modes, $5 counts (arrays of one length). */
  static final String ADD_TAPS =
      "INSERT INTO statistics_day_taps (day, decision, reason, mode, taps) "
          + "SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[]) "
          + "ON CONFLICT (day, decision, reason, mode) DO UPDATE SET taps = statistics_day_taps.taps + EXCLUDED.taps";

  /** One node at a time compacts and takes snapshots; the others skip the round. */
  static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('hes-gateway statistics duties'))";

  /** Ended days with new-card lists nobody wrote to for $2 seconds: $1 = today. */
  static final String DAYS_TO_COMPACT =
      "SELECT day FROM statistics_card_deltas WHERE day < $1 GROUP BY day "
          + "HAVING max(flushed_at) <= now() - make_interval(secs => $2::integer) ORDER BY day";

  /** A day's new-card lists, removed as they are read (in the compacting transaction): $1 day; binary (see IndexLists). */
  static final String TAKE_DELTAS =
      "DELETE FROM statistics_card_deltas WHERE day = $1 RETURNING card_set, array_send(indexes)";

  /** Bitmap rows about to be OR-ed into, locked: $1 day (or month), $2 set, $3 chunks. */
  static final String DAY_CHUNKS_FOR_UPDATE =
      "SELECT chunk, bits FROM statistics_day_cards WHERE day = $1 AND card_set = $2 AND chunk = ANY($3) FOR UPDATE";
  static final String MONTH_CHUNKS_FOR_UPDATE =
      "SELECT chunk, bits FROM statistics_month_cards WHERE month = $1 AND card_set = $2 AND chunk = ANY($3) FOR UPDATE";

  /** Bitmap rows written whole: $1 day (or month), $2 set, $3 chunks, $4 bits. */
  static final String UPSERT_DAY_CHUNKS =
      "INSERT INTO statistics_day_cards (day, card_set, chunk, bits) SELECT $1, $2, c, b FROM unnest($3::integer[], $4::bytea[]) AS u(c, b) "
          + "ON CONFLICT (day, card_set, chunk) DO UPDATE SET bits = EXCLUDED.bits";
  static final String UPSERT_MONTH_CHUNKS =
      "INSERT INTO statistics_month_cards (month, card_set, chunk, bits) SELECT $1, $2, c, b FROM unnest($3::integer[], $4::bytea[]) AS u(c, b) "
          + "ON CONFLICT (month, card_set, chunk) DO UPDATE SET bits = EXCLUDED.bits";

  /** A compacted day's distinct cards of a set, grown by $3 (the cards its bitmaps gained). */
  static final String ADD_DAY_COUNT =
      "INSERT INTO statistics_day_counts (day, card_set, cards) VALUES ($1, $2, $3) "
          + "ON CONFLICT (day, card_set) DO UPDATE SET cards = statistics_day_counts.cards + EXCLUDED.cards";

  static final String MARK_COMPACTED =
      "INSERT INTO statistics_compacted_days (day, by_node) VALUES ($1, $2) "
          + "ON CONFLICT (day) DO UPDATE SET compacted_at = now(), by_node = EXCLUDED.by_node";

  /** The population's figures now, as of day $1 (for the HES codes expired by then). */
  static final String POPULATION =
      "SELECT count(*), count(*) FILTER (WHERE kind = 'PERSONALIZED'), count(*) FILTER (WHERE hes_linked), "
          + "count(*) FILTER (WHERE hes_linked AND hes_expires_on <= $1), count(DISTINCT owner_id) FILTER (WHERE risky), "
          + "count(*) FILTER (WHERE risky AND NOT blocked AND kind = 'PERSONALIZED'), count(*) FILTER (WHERE blocked) FROM cards";

  /** Whether today's live snapshot ($1) is older than $2 seconds (no row: nothing). */
  static final String LIVE_SNAPSHOT_STALE =
      "SELECT taken_at < now() - make_interval(secs => $2::integer) FROM statistics_day_population WHERE day = $1";

  /** Whether day $1 has a final snapshot already. */
  static final String HAS_FINAL_SNAPSHOT = "SELECT EXISTS (SELECT 1 FROM statistics_day_population WHERE day = $1 AND NOT live)";

  /** A day's snapshot: $1 day, $2 live, $3… the figures; a final one is never replaced. */
  static final String UPSERT_POPULATION =
      "INSERT INTO statistics_day_population (day, live, cards, personalized, hes_linked, hes_expired, risky_holders, "
          + "suspended_cards, blocked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          + "ON CONFLICT (day) DO UPDATE SET live = EXCLUDED.live, taken_at = now(), cards = EXCLUDED.cards, "
          + "personalized = EXCLUDED.personalized, hes_linked = EXCLUDED.hes_linked, hes_expired = EXCLUDED.hes_expired, "
          + "risky_holders = EXCLUDED.risky_holders, suspended_cards = EXCLUDED.suspended_cards, blocked = EXCLUDED.blocked "
          + "WHERE statistics_day_population.live";

  static final String REPEATABLE_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  // Reading: $1 from, $2 to (inclusive days).

  static final String POPULATIONS =
      "SELECT day, live, taken_at, cards, personalized, hes_linked, hes_expired, risky_holders, suspended_cards, blocked "
          + "FROM statistics_day_population WHERE day BETWEEN $1 AND $2 ORDER BY day";

  static final String TAPS =
      "SELECT day, decision, reason, mode, taps FROM statistics_day_taps WHERE day BETWEEN $1 AND $2";

  /** Distinct cards per day and set in the compacted bitmaps (counted as they were written). */
  static final String DAY_BITMAP_COUNTS =
      "SELECT day, card_set, cards FROM statistics_day_counts WHERE day BETWEEN $1 AND $2";

  /** Distinct cards per day and set in the lists not compacted yet, for the days that have no bitmap. */
  static final String DAY_DELTA_COUNTS =
      "SELECT d.day, d.card_set, count(DISTINCT i) FROM statistics_card_deltas d, unnest(d.indexes) i "
          + "WHERE d.day BETWEEN $1 AND $2 AND NOT EXISTS (SELECT 1 FROM statistics_day_cards c WHERE c.day = d.day AND c.card_set = d.card_set) "
          + "GROUP BY d.day, d.card_set";

  /** Days that have both bitmaps and new lists (a late write after compaction): counted as a union. */
  static final String DAYS_WITH_BOTH =
      "SELECT DISTINCT d.day FROM statistics_card_deltas d WHERE d.day BETWEEN $1 AND $2 "
          + "AND EXISTS (SELECT 1 FROM statistics_day_cards c WHERE c.day = d.day AND c.card_set = d.card_set)";

  /** For a union: the month bitmaps of whole months $3, set $4. */
  static final String MONTH_BITMAPS =
      "SELECT chunk, bits FROM statistics_month_cards WHERE month = ANY($1::date[]) AND card_set = $2";

  /** For a union: the day bitmaps of days $1…$2 outside the whole months $3, set $4. */
  static final String DAY_BITMAPS =
      "SELECT chunk, bits FROM statistics_day_cards WHERE day BETWEEN $1 AND $2 AND card_set = $4 "
          + "AND date_trunc('month', day)::date <> ALL($3::date[])";

  /** For a union: the lists not compacted yet of days $1…$2, set $3. */
  static final String DELTAS =
      "SELECT array_send(indexes) FROM statistics_card_deltas WHERE day BETWEEN $1 AND $2 AND card_set = $3";
}
