package istanbul.hes.tap;

import istanbul.hes.cardstore.CardStatus;

/**
 * The tap rule, as a pure function of the card's status and today's date. Order matters and is
 * the contract: an operator block wins over everything (the card may be in the wrong hands);
 * then the holder's risk (the Ministry of Interior wants those attempts, HES code or not); then
 * the HES code rules.
 */
public final class TapDecider {
  private TapDecider() {}

  /**
   * @param known false when the card is not in the map
   * @param today epoch day in the HES time zone
   * @param modes the rule's phase for personalized and for anonymous cards: a denial of the HES
   *     rule is allowed under MONITOR (labelled with its reason) and OFF; a block or an unknown
   *     card is denied whatever the phase
   */
  public static TapOutcome decide(boolean known, CardStatus status, int today, RulePhases.Modes modes) {
    if (!known) {
      return TapOutcome.DENY_UNKNOWN_CARD;
    }
    if (status.blocked()) {
      return TapOutcome.DENY_CARD_BLOCKED;
    }
    if (!status.personalized()) {
      return TapOutcome.underMode(TapOutcome.DENY_NOT_PERSONALIZED, modes.anonymous());
    }
    return TapOutcome.underMode(enforced(status, today), modes.personalized());
  }

  /** What the rule answers a personalized, unblocked card when enforced. */
  private static TapOutcome enforced(CardStatus status, int today) {
    if (status.risky()) {
      return TapOutcome.DENY_HES_RISK;
    }
    if (!status.hesLinked()) {
      return TapOutcome.DENY_NO_HES_CODE;
    }
    if (today >= status.hesExpiresOnDay()) {
      return TapOutcome.DENY_HES_EXPIRED;
    }
    return TapOutcome.ALLOW_OK;
  }
}
