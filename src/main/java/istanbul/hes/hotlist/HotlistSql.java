package istanbul.hes.hotlist;

/**
 * Every SQL statement of the hotlist. The membership rule mirrors the tap rule, anonymous cards aside.
 *
 * <p>A list's version names a cut of the change log: every row of a transaction up to T (see
 * {@link #VERSION}). A card's decision inputs at cut T are those of its newest log row (by version)
 * of a transaction up to T; with none, those before its first logged change (the row carries them:
 * how it was bulk-loaded or inserted); with no log row at all, its row in {@code cards}, never
 * changed since. A list at T is exactly that membership for every card, so the changes between two
 * versions are exactly the difference of the two lists, whatever the cards' histories.
 */
final class HotlistSql {
  private HotlistSql() {}

  /**
   * Whether the decision inputs of alias {@code t} deny the card on day {@code day}: blocked, or,
   * while the HES rule is enforced for personalized cards, a personalized card whose holder is
   * risky or whose HES code is missing or expired (under MONITOR or OFF those ride).
   */
  private static String denied(String t, String day, boolean personalizedRule) {
    if (!personalizedRule) {
      // The day does not matter to a block; it is named so that both rules take the same parameters.
      return "(" + t + ".blocked AND " + day + "::date IS NOT NULL)";
    }
    return "(" + t + ".blocked OR (" + t + ".kind = 'PERSONALIZED' AND (" + t + ".risky OR NOT " + t + ".hes_linked OR "
        + t + ".hes_expires_on <= " + day + ")))";
  }

  private static final String INPUTS = "l.kind, l.blocked, l.hes_linked, l.hes_expires_on, l.risky";

  /** Card {@code c}'s newest log row of a transaction up to {@code cut}, as alias {@code alias}. */
  private static String rowAt(String cut, String alias) {
    return "LEFT JOIN LATERAL (SELECT " + INPUTS + " FROM card_status_log l WHERE l.card_no = c.card_no "
        + "AND l.txid <= (" + cut + "::bigint)::text::xid8 ORDER BY l.version DESC LIMIT 1) " + alias + " ON true ";
  }

  /** Card {@code c}'s inputs before its first logged change, as alias {@code base} (kind null: not known). */
  private static final String FIRST =
      "LEFT JOIN LATERAL (SELECT true AS logged, l.prev_kind AS kind, l.prev_blocked AS blocked, l.prev_hes_linked AS hes_linked, "
          + "l.prev_hes_expires_on AS hes_expires_on, l.prev_risky AS risky FROM card_status_log l WHERE l.card_no = c.card_no "
          + "ORDER BY l.version LIMIT 1) AS base ON true ";

  /** Membership of card {@code c} at the cut of {@code alias} (a {@link #rowAt}) on {@code day}; null when not known. */
  private static String deniedAt(String alias, String day, boolean personalizedRule) {
    return "CASE WHEN " + alias + ".kind IS NOT NULL THEN " + denied(alias, day, personalizedRule)
        + " WHEN base.logged THEN CASE WHEN base.kind IS NULL THEN NULL ELSE " + denied("base", day, personalizedRule) + " END"
        + " ELSE " + denied("c", day, personalizedRule) + " END";
  }

  static final String REPEATABLE_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  /**
   * The list's cut T: the newest transaction with a change-log row among those older than every
   * transaction still running. Every transaction up to T has ended, so no row up to T can appear
   * later; T moves only when cards change (not with every transaction of the database). One
   * backward probe of card_status_log_txid_idx.
   */
  static final String VERSION =
      "SELECT coalesce((SELECT txid FROM card_status_log WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) "
          + "ORDER BY txid DESC LIMIT 1)::text::bigint, 0)";

  /** The statements of one membership rule: the HES rule enforced for personalized cards, or blocks only. */
  record Rule(String alwaysDenied, String expired, String afterCut, String changes) {}

  /**
   * Enforced: cards denied whatever the day, in card order straight from the partial index
   * cards_hotlist_idx (no sort), as one array (sent in binary by a prepared statement, which the
   * client decodes several times faster than a million rows or the text form); cards denied only
   * because their HES code has expired by $1 (partial index cards_hes_expiry_idx).
   */
  static final Rule ENFORCED = new Rule(
      "SELECT coalesce(array_agg(card_no), '{}') FROM (SELECT card_no FROM cards "
          + "WHERE blocked OR (kind = 'PERSONALIZED' AND (risky OR NOT hes_linked)) ORDER BY card_no) denied",
      "SELECT coalesce(array_agg(card_no), '{}') FROM (SELECT card_no FROM cards "
          + "WHERE kind = 'PERSONALIZED' AND hes_linked AND NOT blocked AND NOT risky AND hes_expires_on <= $1 ORDER BY card_no) expired",
      afterCut(true),
      changes(true));

  /** The HES rule under MONITOR or OFF for personalized cards: only blocked cards are denied, whatever the day. */
  static final Rule BLOCKS_ONLY = new Rule(
      "SELECT coalesce(array_agg(card_no), '{}') FROM (SELECT card_no FROM cards WHERE blocked ORDER BY card_no) denied",
      null,
      afterCut(false),
      changes(false));

  /**
   * The cards this snapshot sees changed after cut $1 (transactions that committed while an older
   * one still ran; usually none), with their membership at that cut on day $2: the full list
   * read from {@code cards} takes these from here instead. One range scan of the txid index.
   */
  private static String afterCut(boolean personalizedRule) {
    return "SELECT c.card_no, coalesce(" + deniedAt("cut", "$2", personalizedRule) + ", " + denied("c", "$2", personalizedRule) + ") "
        + "FROM (SELECT DISTINCT card_no FROM card_status_log WHERE txid > ($1::bigint)::text::xid8) k "
        + "JOIN cards c ON c.card_no = k.card_no " + rowAt("$1", "cut") + FIRST;
  }

  /** Whether the change log holds a row of transaction $1 (a cut this gateway gave; older lists are answered in full). */
  static final String VERSION_KNOWN = "SELECT EXISTS (SELECT 1 FROM card_status_log WHERE txid = ($1::bigint)::text::xid8)";

  /**
   * Every card whose membership may differ between cut $1 on day $2 and cut $3 on day $4, with
   * both memberships (null when not known): the cards with a log row after cut $1 (all the others
   * have the same inputs at both cuts, those of {@code cards}), and, among those others, the cards
   * whose HES code expired in between (only while the rule counts expiry).
   */
  private static String changes(boolean personalizedRule) {
    return "WITH candidates AS ("
        + "  SELECT card_no FROM card_status_log WHERE txid > ($1::bigint)::text::xid8 "
        + (personalizedRule
            ? "  UNION "
                + "  SELECT card_no FROM cards WHERE kind = 'PERSONALIZED' AND hes_linked AND NOT blocked AND NOT risky "
                + "    AND hes_expires_on > $2 AND hes_expires_on <= $4) "
            : ") ")
        + "SELECT c.card_no, " + deniedAt("now_row", "$4", personalizedRule) + " AS denied_now, "
        + deniedAt("then_row", "$2", personalizedRule) + " AS denied_then "
        + "FROM candidates k JOIN cards c ON c.card_no = k.card_no "
        + rowAt("$1", "then_row") + rowAt("$3", "now_row") + FIRST
        + "ORDER BY c.card_no";
  }
}
