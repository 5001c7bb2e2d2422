package istanbul.hes.phases;

/** Every SQL statement of the rule's phases. */
final class PhaseSql {
  private PhaseSql() {}

  /** Each kind's phase, and the mode before its last switch (null: never switched). */
  static final String CURRENT =
      "SELECT p.card_kind::text, p.mode, p.changed_at, p.changed_by, p.why, "
          + "(SELECT c.previous_mode FROM rule_phase_changes c WHERE c.card_kind = p.card_kind ORDER BY c.id DESC LIMIT 1) "
          + "FROM rule_phases p";

  /** The row of kind $1 with its initial mode $2, if it has none yet: a first switch has a row to lock too. */
  static final String ENSURE =
      "INSERT INTO rule_phases (card_kind, mode, changed_by, why) VALUES ($1::card_kind, $2, 'configuration', 'initial value') "
          + "ON CONFLICT (card_kind) DO NOTHING";

  /** The row of $1 locked, to switch it from a known mode. */
  static final String LOCK = "SELECT mode FROM rule_phases WHERE card_kind = $1::card_kind FOR UPDATE";

  /** $1 kind, $2 mode, $3 by, $4 why. */
  static final String SET =
      "INSERT INTO rule_phases (card_kind, mode, changed_by, why) VALUES ($1::card_kind, $2, $3, $4) "
          + "ON CONFLICT (card_kind) DO UPDATE SET mode = EXCLUDED.mode, changed_at = now(), changed_by = EXCLUDED.changed_by, "
          + "why = EXCLUDED.why";

  /** $1 kind, $2 mode, $3 previous mode, $4 by, $5 why. */
  static final String AUDIT =
      "INSERT INTO rule_phase_changes (card_kind, mode, previous_mode, changed_by, why) VALUES ($1::card_kind, $2, $3, $4, $5)";
}
