package istanbul.hes.personaldata;

/**
 * Every SQL statement of the purge of personal records whose purpose has ended: each deletes at
 * most $2 rows expired $1 days ago, skipping rows another node or writer holds, and returns how
 * many it deleted.
 */
final class PurgeSql {
  private PurgeSql() {}

  private static final String EXPIRED = "now() - make_interval(days => $1::int)";

  static final String DELIVERED_REPORTS =
      "WITH gone AS (DELETE FROM violation_outbox WHERE id IN (SELECT id FROM violation_outbox "
          + "WHERE state = 'DELIVERED' AND delivered_at < " + EXPIRED + " ORDER BY delivered_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
          + "RETURNING 1) SELECT count(*) FROM gone";

  static final String DEAD_LETTERS =
      "WITH gone AS (DELETE FROM violation_outbox WHERE id IN (SELECT id FROM violation_outbox "
          + "WHERE state = 'DEAD' AND recorded_at < " + EXPIRED + " ORDER BY recorded_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
          + "RETURNING 1) SELECT count(*) FROM gone";

  static final String AUDIT =
      "WITH gone AS (DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < " + EXPIRED
          + " ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1) SELECT count(*) FROM gone";

  static final String AGENT_ACTIONS =
      "WITH gone AS (DELETE FROM agent_actions WHERE id IN (SELECT id FROM agent_actions WHERE at < " + EXPIRED
          + " ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1) SELECT count(*) FROM gone";

  /** People without a card since their last change: their consents and owner record. */
  static final String LEFT_PEOPLE =
      "WITH left_people AS (SELECT owner_id FROM owners o WHERE coalesce(o.updated_at, o.created_at) < " + EXPIRED
          + "  AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.owner_id = o.owner_id) "
          + "  ORDER BY owner_id LIMIT $2 FOR UPDATE SKIP LOCKED), "
          + "consents_gone AS (DELETE FROM consents c USING left_people l WHERE c.owner_id = l.owner_id), "
          + "gone AS (DELETE FROM owners o USING left_people l WHERE o.owner_id = l.owner_id RETURNING 1) "
          + "SELECT count(*) FROM gone";

  /**
   * Contacts withdrawn, opted out, or of a card personalized since, unchanged since; never one a
   * campaign is about to send to.
   */
  static final String CLOSED_CONTACTS =
      "WITH gone AS (DELETE FROM campaign_contacts WHERE contact_id IN (SELECT t.contact_id FROM campaign_contacts t "
          + "WHERE t.updated_at < " + EXPIRED + " AND (t.opted_out_at IS NOT NULL "
          + "  OR EXISTS (SELECT 1 FROM cards c WHERE c.card_no = t.card_no AND c.owner_id IS NOT NULL)) "
          + "AND NOT EXISTS (SELECT 1 FROM campaign_targets g WHERE g.contact_id = t.contact_id AND g.state IN ('PENDING', 'SENDING')) "
          + "ORDER BY t.contact_id LIMIT $2 FOR UPDATE OF t SKIP LOCKED) RETURNING 1) SELECT count(*) FROM gone";

  /** Cards holding a HES link though no longer personalized, linked before the cut-off, locked. */
  static final String UNPERSONALIZED_LINKS =
      "SELECT c.card_no FROM hes_links h JOIN cards c ON c.card_no = h.card_no WHERE c.owner_id IS NULL "
          + "AND h.linked_at < " + EXPIRED + " ORDER BY c.card_no LIMIT $2 FOR UPDATE OF c SKIP LOCKED";

  /** At most $1 cards holding a HES link, of anyone, locked: the rule lifted. */
  static final String ALL_LINKS =
      "SELECT c.card_no FROM hes_links h JOIN cards c ON c.card_no = h.card_no ORDER BY c.card_no LIMIT $1 FOR UPDATE OF c SKIP LOCKED";

  /** The links of the locked cards $1. */
  static final String DELETE_LINKS = "DELETE FROM hes_links WHERE card_no = ANY($1)";

  /** At most $1 risk records, of anyone: the rule lifted. */
  static final String ALL_RISKS =
      "WITH gone AS (DELETE FROM person_risk WHERE identity_hash IN (SELECT identity_hash FROM person_risk "
          + "LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING 1) SELECT count(*) FROM gone";

  /** Since when personalized cards' phase is OFF (no row when it is not). */
  static final String RULE_OFF_SINCE =
      "SELECT changed_at, now() - changed_at >= make_interval(days => $1::int) FROM rule_phases "
          + "WHERE card_kind = 'PERSONALIZED' AND mode = 'OFF'";

  /** This OFF period's purge, created the first time; locked for this node. $1 the switch's time. */
  static final String START_RULE_LIFTED =
      "INSERT INTO rule_lifted_purges (phase_changed_at) VALUES ($1) ON CONFLICT DO NOTHING";

  static final String CLAIM_RULE_LIFTED =
      "SELECT finished_at IS NOT NULL FROM rule_lifted_purges WHERE phase_changed_at = $1 FOR UPDATE SKIP LOCKED";

  /** $1 period, $2 links, $3 risks purged by this batch. */
  static final String COUNT_RULE_LIFTED =
      "UPDATE rule_lifted_purges SET hes_links = hes_links + $2, person_risk = person_risk + $3 WHERE phase_changed_at = $1";

  /** The period's purge is over: the audit row says when and how many. $1 period. */
  static final String FINISH_RULE_LIFTED =
      "WITH done AS (UPDATE rule_lifted_purges SET finished_at = now() WHERE phase_changed_at = $1 "
          + "RETURNING phase_changed_at, hes_links, person_risk) "
          + "INSERT INTO audit_log (action, detail) SELECT 'RULE_LIFTED_PURGE', jsonb_build_object('phaseOffSince', "
          + "phase_changed_at, 'hesLinks', hes_links, 'riskRecords', person_risk) FROM done";
}
