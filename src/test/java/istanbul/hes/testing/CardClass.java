package istanbul.hes.testing;

import istanbul.hes.config.AnonymousPolicy;

/** One card of each decision class the tap rule knows, with the reason a tap must get. */
public enum CardClass {
  /** Personalized, HES code valid for 30 more days, holder not risky. */
  OK("OK"),
  /** Anonymous card. */
  ANONYMOUS("NOT_PERSONALIZED"),
  /** Personalized with a valid code, but blocked by an operator. */
  BLOCKED("CARD_BLOCKED"),
  /** Personalized with a valid code; the holder is risky. */
  RISKY("HES_RISK"),
  /** Personalized, no HES code linked. */
  NO_HES("NO_HES_CODE"),
  /** Personalized; the HES code expires today (so it is expired). */
  EXPIRED("HES_EXPIRED");

  private final String reason;

  CardClass(String reason) {
    this.reason = reason;
  }

  public String reason(AnonymousPolicy policy) {
    return this == ANONYMOUS && policy == AnonymousPolicy.ALLOW ? "OK" : reason;
  }

  public String reason() {
    return reason(AnonymousPolicy.DENY);
  }
}
