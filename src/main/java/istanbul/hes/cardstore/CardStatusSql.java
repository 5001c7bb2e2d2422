package istanbul.hes.cardstore;

/** Every SQL statement of the card status store. */
final class CardStatusSql {
  private CardStatusSql() {}

  /** Decision-input columns and the card index, in the order {@link CardStatusRows} reads them. */
  private static final String STATUS_COLUMNS =
      "card_no, kind = 'PERSONALIZED', blocked, hes_linked, hes_expires_on - DATE '1970-01-01', risky, card_index";

  /**
   * The same columns from a log row (alias {@code l}); the card index from {@code cards} when the
   * row has none (written by a node of the version before the index, during a rolling upgrade).
   */
  private static final String LOG_STATUS_COLUMNS =
      "card_no, kind = 'PERSONALIZED', blocked, hes_linked, hes_expires_on - DATE '1970-01-01', risky, "
          + "coalesce(l.card_index, (SELECT c.card_index FROM cards c WHERE c.card_no = l.card_no))";

  /** Where the change log stands in this transaction's snapshot (see {@link LogPosition}). */
  static final String LOG_POSITION =
      "SELECT coalesce((SELECT max(version) FROM card_status_log), 0), "
          + "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

  /**
   * Which database this is ({@link MapIdentity}) and whether the change log knows a map's
   * position: $1 = position version (0: before any change). A position
   * always names a logged version, so a version the log lacks was trimmed or is another log's.
   * Columns: system identifier, database, schema, installation id, version logged, newest
   * version, current snapshot xmin.
   */
  static final String DATABASE_VIEW =
      "SELECT (SELECT system_identifier FROM pg_control_system())::text, current_database()::text, current_schema()::text, "
          + "(SELECT installation_id::text FROM installation), "
          + "$1::bigint = 0 OR EXISTS (SELECT 1 FROM card_status_log WHERE version = $1::bigint), "
          + "coalesce((SELECT max(version) FROM card_status_log), 0), "
          + "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

  /** The id the migrations gave this installation once: what the fan-out stamps its entries with. */
  static final String INSTALLATION_ID = "SELECT installation_id::text FROM installation";

  static final String REPEATABLE_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  /** Every card, for a rebuild or a check of the map; read through a cursor. */
  static final String ALL_CARDS = "SELECT " + STATUS_COLUMNS + ", status_version FROM cards";

  static final String CARD_COUNT = "SELECT count(*) FROM cards";

  /**
   * Log rows the map may not have yet: $1 = position version, $2 = position xmin. Two index range
   * scans (an OR of the two conditions reads the whole log, millions of rows, on every periodic
   * catch-up); a row found by both comes twice and is applied once (versions).
   */
  static final String LOG_SINCE =
      "SELECT " + LOG_STATUS_COLUMNS + ", version FROM card_status_log l WHERE version > $1 "
          + "UNION ALL "
          + "SELECT " + LOG_STATUS_COLUMNS + ", version FROM card_status_log l WHERE txid >= ($2::text)::xid8 "
          + "ORDER BY version";

  /**
   * Locks the cards about to be recomputed, in card order (no deadlocks between two writers).
   * Recomputing only after the lock means the derivation sees every earlier writer's commit.
   */
  static final String LOCK_CARDS = "SELECT card_no FROM cards WHERE card_no = ANY($1) ORDER BY card_no FOR UPDATE";

  /**
   * The one place where a card's decision inputs are derived from the records: owner, operator
   * block, HES link, person risk. Cards whose inputs changed, and cards recomputed for the first
   * time, get a new version and a log row that also holds the inputs before the change (the
   * hotlist rebuilds past lists from it, bulk-loaded cards' first state included);
   * $1 = card numbers, $2 = cause.
   */
  static final String RECOMPUTE = recompute(false);

  /**
   * As {@link #RECOMPUTE}, the cards also losing their owner (a person's erasure): the owner and
   * the kind it implies change in the same update, so the card is never PERSONALIZED without an
   * owner and its log row has its true inputs before. $1 = card numbers, $2 = cause.
   */
  static final String RECOMPUTE_UNOWNING = recompute(true);

  private static String recompute(boolean unowning) {
    String owner = unowning ? "NULL::bigint" : "c.owner_id";
    return "WITH derived AS ("
          + "  SELECT c.card_no,"
          + "         CASE WHEN " + owner + " IS NULL THEN 'ANONYMOUS' ELSE 'PERSONALIZED' END::card_kind AS kind,"
          + "         b.card_no IS NOT NULL AS blocked,"
          + "         h.card_no IS NOT NULL AS hes_linked,"
          + "         h.expires_on AS hes_expires_on,"
          + "         coalesce(r.risky, false) AS risky,"
          // The row as it stands after LOCK_CARDS: every earlier writer's commit is in it.
          + "         c.kind AS prev_kind, c.blocked AS prev_blocked, c.hes_linked AS prev_hes_linked,"
          + "         c.hes_expires_on AS prev_hes_expires_on, c.risky AS prev_risky"
          + "    FROM cards c"
          + "    LEFT JOIN card_blocks b ON b.card_no = c.card_no"
          + "    LEFT JOIN hes_links h ON h.card_no = c.card_no"
          + "    LEFT JOIN owners o ON o.owner_id = " + owner
          + "    LEFT JOIN person_risk r ON r.identity_hash = o.identity_hash"
          + "   WHERE c.card_no = ANY($1)"
          + "), changed AS ("
          + "  UPDATE cards c"
          + "     SET kind = d.kind, blocked = d.blocked, hes_linked = d.hes_linked," + (unowning ? " owner_id = NULL," : "")
          + "         hes_expires_on = d.hes_expires_on, risky = d.risky,"
          + "         status_version = nextval('card_status_version_seq')"
          + "    FROM derived d"
          + "   WHERE c.card_no = d.card_no"
          // A card never versioned yet (new, status_version 0) is logged even when its inputs
          // equal the column defaults: otherwise no running node's map would ever learn of it.
          + "     AND (c.status_version = 0"
          + "          OR (c.kind, c.blocked, c.hes_linked, c.hes_expires_on, c.risky)"
          + "             IS DISTINCT FROM (d.kind, d.blocked, d.hes_linked, d.hes_expires_on, d.risky))"
          + "  RETURNING c.card_no, c.kind, c.blocked, c.hes_linked, c.hes_expires_on, c.risky, c.status_version, c.card_index,"
          + "            d.prev_kind, d.prev_blocked, d.prev_hes_linked, d.prev_hes_expires_on, d.prev_risky"
          + ") "
          + "INSERT INTO card_status_log (version, card_no, kind, blocked, hes_linked, hes_expires_on, risky, cause, "
          + "  prev_kind, prev_blocked, prev_hes_linked, prev_hes_expires_on, prev_risky, card_index) "
          + "SELECT status_version, card_no, kind, blocked, hes_linked, hes_expires_on, risky, $2, "
          + "  prev_kind, prev_blocked, prev_hes_linked, prev_hes_expires_on, prev_risky, card_index FROM changed "
          + "RETURNING " + STATUS_COLUMNS + ", version";
  }

  /** The planner's estimate of the card count (sizing a sample without counting 34 M rows). */
  static final String CARD_ESTIMATE = "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'cards'::regclass";

  /** A sample of whole pages: $1 = percent of the table, $2 = at most this many cards. */
  static final String SAMPLE_CARDS = "SELECT " + STATUS_COLUMNS + ", status_version FROM cards TABLESAMPLE SYSTEM ($1) LIMIT $2";

  /** These cards' current status: $1 = card numbers. */
  static final String SOME_CARDS = "SELECT " + STATUS_COLUMNS + ", status_version FROM cards WHERE card_no = ANY($1)";

  /** One card's current status, straight from the table (operators, tests). */
  static final String ONE_CARD = "SELECT " + STATUS_COLUMNS + ", status_version FROM cards WHERE card_no = $1";
}
