package istanbul.hes.hotlist;

/** Every SQL statement of the hotlist. The membership rule mirrors the tap rule, anonymous cards aside. */
final class HotlistSql {
  private HotlistSql() {}

  /** Whether a row of {@code cards} or {@code card_status_log} (alias {@code t}) is denied on day {@code day}. */
  private static String denied(String day) {
    return "(t.blocked OR (t.kind = 'PERSONALIZED' AND (t.risky OR NOT t.hes_linked OR t.hes_expires_on <= " + day + ")))";
  }

  static final String REPEATABLE_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  /**
   * The list's version: the newest change-log row of a transaction older than every transaction
   * still running. It moves only when cards change (not with every transaction of the database);
   * a change committed after it has a higher version or a transaction not older than that row's,
   * which is how {@link #CHANGES} finds it.
   */
  static final String VERSION =
      "SELECT coalesce((SELECT version FROM card_status_log WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) "
          + "ORDER BY version DESC LIMIT 1), 0)";

  /**
   * Cards denied whatever the day, in card order straight from the partial index
   * cards_hotlist_idx (no sort), as one array: sent in binary by a prepared statement, which
   * the client decodes several times faster than a million rows or the text form.
   */
  static final String ALWAYS_DENIED =
      "SELECT coalesce(array_agg(card_no), '{}') FROM (SELECT card_no FROM cards "
          + "WHERE blocked OR (kind = 'PERSONALIZED' AND (risky OR NOT hes_linked)) ORDER BY card_no) denied";

  /** Cards denied only because their HES code has expired by $1 (partial index cards_hes_expiry_idx). */
  static final String EXPIRED =
      "SELECT coalesce(array_agg(card_no), '{}') FROM (SELECT card_no FROM cards "
          + "WHERE kind = 'PERSONALIZED' AND hes_linked AND NOT blocked AND NOT risky AND hes_expires_on <= $1 ORDER BY card_no) expired";

  /** Whether the change log still holds version $1 (older lists are answered in full). */
  static final String VERSION_KNOWN = "SELECT EXISTS (SELECT 1 FROM card_status_log WHERE version = $1)";

  /**
   * Every card whose membership may differ between version $1 on day $2 and now on day $3, with
   * both memberships: the cards changed since (by version, or in a transaction not older than
   * the one of version $1), and those whose HES code expired in between. A card's membership
   * then is read from its newest log row that surely was in that list; a card with none was not
   * listed.
   */
  static final String CHANGES =
      "WITH since AS (SELECT $1::bigint AS version, "
          + "  coalesce((SELECT txid FROM card_status_log WHERE version = $1), '0'::xid8) AS txid), "
          + "candidates AS ("
          // Two index range scans (an OR of the two would read the whole log).
          + "  SELECT l.card_no FROM card_status_log l, since s WHERE l.version > s.version "
          + "  UNION "
          + "  SELECT l.card_no FROM card_status_log l, since s WHERE l.txid >= s.txid "
          + "  UNION "
          + "  SELECT card_no FROM cards WHERE kind = 'PERSONALIZED' AND hes_linked AND NOT blocked AND NOT risky "
          + "    AND hes_expires_on > $2 AND hes_expires_on <= $3) "
          + "SELECT t.card_no, " + denied("$3") + " AS denied_now, "
          + "  coalesce((SELECT " + denied("$2") + " FROM card_status_log t, since s WHERE t.card_no = c.card_no "
          + "    AND t.version <= s.version AND t.txid <= s.txid ORDER BY t.version DESC LIMIT 1), false) AS denied_then "
          + "FROM candidates c JOIN cards t ON t.card_no = c.card_no "
          + "ORDER BY t.card_no";
}
