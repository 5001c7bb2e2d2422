package istanbul.hes.tap;

import java.nio.charset.StandardCharsets;

/**
 * Every answer a tap can get. The JSON after the card number is encoded once here, so writing
 * an answer is a copy of constant bytes.
 */
public enum TapOutcome {
  ALLOW_OK(Decision.ALLOW, Reason.OK),
  DENY_HES_RISK(Decision.DENY, Reason.HES_RISK),
  DENY_NO_HES_CODE(Decision.DENY, Reason.NO_HES_CODE),
  DENY_HES_EXPIRED(Decision.DENY, Reason.HES_EXPIRED),
  DENY_NOT_PERSONALIZED(Decision.DENY, Reason.NOT_PERSONALIZED),
  DENY_CARD_BLOCKED(Decision.DENY, Reason.CARD_BLOCKED),
  DENY_UNKNOWN_CARD(Decision.DENY, Reason.UNKNOWN_CARD);

  public enum Decision {
    ALLOW,
    DENY
  }

  private static final TapOutcome[] VALUES = values();

  final Decision decision;
  final Reason reason;
  /** {@code ","decision":"…","reason":"…"}} : what follows the card digits in an answer. */
  final byte[] jsonTail;

  TapOutcome(Decision decision, Reason reason) {
    this.decision = decision;
    this.reason = reason;
    this.jsonTail = ("\",\"decision\":\"" + decision + "\",\"reason\":\"" + reason + "\"}").getBytes(StandardCharsets.US_ASCII);
  }

  public Decision decision() {
    return decision;
  }

  public Reason reason() {
    return reason;
  }

  public static TapOutcome[] all() {
    return VALUES;
  }
}
