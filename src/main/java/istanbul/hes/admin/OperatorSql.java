package istanbul.hes.admin;

/** SQL of the operator actions. */
final class OperatorSql {
  private OperatorSql() {}

  static final String BLOCK =
      "INSERT INTO card_blocks (card_no, reason, blocked_by) VALUES ($1, $2, $3) "
          + "ON CONFLICT (card_no) DO UPDATE SET reason = EXCLUDED.reason, blocked_at = now(), blocked_by = EXCLUDED.blocked_by";

  static final String UNBLOCK = "DELETE FROM card_blocks WHERE card_no = $1";

  static final String CARD_EXISTS = "SELECT 1 FROM cards WHERE card_no = $1";

  static final String PING = "SELECT 1";
}
