package istanbul.hes.tap;

import java.nio.charset.StandardCharsets;

/**
 * Every answer a tap can get. The JSON after the card number is encoded once here, so writing
 * an answer is a copy of constant bytes. An answer the rule's phase changed says so in a
 * {@code mode} field ({@code MONITOR}: allowed, with the reason the rule would have denied for;
 * {@code OFF}: allowed, the rule lifted); an enforced answer has none.
 */
public enum TapOutcome {
  ALLOW_OK(Decision.ALLOW, Reason.OK, RuleMode.ENFORCE),
  DENY_HES_RISK(Decision.DENY, Reason.HES_RISK, RuleMode.ENFORCE),
  DENY_NO_HES_CODE(Decision.DENY, Reason.NO_HES_CODE, RuleMode.ENFORCE),
  DENY_HES_EXPIRED(Decision.DENY, Reason.HES_EXPIRED, RuleMode.ENFORCE),
  DENY_NOT_PERSONALIZED(Decision.DENY, Reason.NOT_PERSONALIZED, RuleMode.ENFORCE),
  DENY_CARD_BLOCKED(Decision.DENY, Reason.CARD_BLOCKED, RuleMode.ENFORCE),
  DENY_UNKNOWN_CARD(Decision.DENY, Reason.UNKNOWN_CARD, RuleMode.ENFORCE),
  MONITOR_HES_RISK(Decision.ALLOW, Reason.HES_RISK, RuleMode.MONITOR),
  MONITOR_NO_HES_CODE(Decision.ALLOW, Reason.NO_HES_CODE, RuleMode.MONITOR),
  MONITOR_HES_EXPIRED(Decision.ALLOW, Reason.HES_EXPIRED, RuleMode.MONITOR),
  MONITOR_NOT_PERSONALIZED(Decision.ALLOW, Reason.NOT_PERSONALIZED, RuleMode.MONITOR),
  /** Allowed because the rule is lifted for the card's kind: the card would have been denied. */
  ALLOW_RULE_OFF(Decision.ALLOW, Reason.OK, RuleMode.OFF);

  public enum Decision {
    ALLOW,
    DENY
  }

  private static final TapOutcome[] VALUES = values();

  final Decision decision;
  final Reason reason;
  final RuleMode mode;
  /** {@code ","decision":"…","reason":"…"}} : what follows the card digits in an answer. */
  final byte[] jsonTail;

  TapOutcome(Decision decision, Reason reason, RuleMode mode) {
    this.decision = decision;
    this.reason = reason;
    this.mode = mode;
    this.jsonTail = ("\",\"decision\":\"" + decision + "\",\"reason\":\"" + reason + "\""
        + (mode == RuleMode.ENFORCE ? "" : ",\"mode\":\"" + mode + "\"") + "}").getBytes(StandardCharsets.US_ASCII);
  }

  public RuleMode mode() {
    return mode;
  }

  /** The outcome of the same reason under a mode other than ENFORCE (a denial the phase turned into an allow). */
  static TapOutcome underMode(TapOutcome enforced, RuleMode mode) {
    if (mode == RuleMode.ENFORCE || enforced.decision == Decision.ALLOW) {
      return enforced;
    }
    if (mode == RuleMode.OFF) {
      return ALLOW_RULE_OFF;
    }
    return switch (enforced) {
      case DENY_HES_RISK -> MONITOR_HES_RISK;
      case DENY_NO_HES_CODE -> MONITOR_NO_HES_CODE;
      case DENY_HES_EXPIRED -> MONITOR_HES_EXPIRED;
      case DENY_NOT_PERSONALIZED -> MONITOR_NOT_PERSONALIZED;
      default -> throw new IllegalArgumentException(enforced + " is not a denial of the HES rule");
    };
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
