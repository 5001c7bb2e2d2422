package istanbul.hes.points;

/** Every SQL statement of the sales points: holders of cards, access switches, the agents' audit. */
final class PointsSql {
  private PointsSql() {}

  /**
   * What a holder check needs to know of a card: its holder's identity hash and encrypted phone
   * (both NULL when the card is anonymous); no row: no such card. $1 card.
   */
  static final String CARD_HOLDER =
      "SELECT o.identity_hash, o.phone_enc FROM cards c LEFT JOIN owners o ON o.owner_id = c.owner_id WHERE c.card_no = $1";

  /** Whether the agent ($1) or the point ($2) is disabled: the kinds that are, zero to two rows. */
  static final String DISABLED =
      "SELECT kind FROM point_access WHERE NOT enabled AND ((kind = 'AGENT' AND staff_id = $1) OR (kind = 'POINT' AND staff_id = $2))";

  /** Every agent and point an operator switched, disabled first. */
  static final String ACCESS_LIST =
      "SELECT kind, staff_id, enabled, changed_at, changed_by, why FROM point_access ORDER BY enabled, kind, staff_id";

  /** Sets an agent's or a point's access and keeps the change. $1 kind, $2 id, $3 enabled, $4 by, $5 why. */
  static final String SWITCH_ACCESS =
      "WITH switched AS (INSERT INTO point_access (kind, staff_id, enabled, changed_by, why) VALUES ($1, $2, $3, $4, $5) "
          + "ON CONFLICT (kind, staff_id) DO UPDATE SET enabled = EXCLUDED.enabled, changed_at = now(), "
          + "changed_by = EXCLUDED.changed_by, why = EXCLUDED.why RETURNING kind, staff_id, enabled, changed_at, changed_by, why), "
          + "kept AS (INSERT INTO point_access_changes (kind, staff_id, enabled, changed_by, why) "
          + "SELECT kind, staff_id, enabled, changed_by, why FROM switched) "
          + "SELECT kind, staff_id, enabled, changed_at, changed_by, why FROM switched";

  /**
   * $1 agent, $2 point, $3 action, $4 card (NULL), $5 holder hash (NULL), $6 status, $7 result, $8
   * request's arrival, $9 the holder hash's key id.
   */
  static final String AUDIT =
      "INSERT INTO agent_actions (agent_id, point_id, action, card_no, holder_hash, status, result, at, holder_hash_key) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
}
