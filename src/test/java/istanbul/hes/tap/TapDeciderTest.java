package istanbul.hes.tap;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.config.AnonymousPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TapDeciderTest {
  private static final int TODAY = 20_000;
  private static final int NEXT_MONTH = TODAY + 30;

  private static CardStatus status(boolean personalized, boolean blocked, boolean hesLinked, int expiresOnDay, boolean risky) {
    return CardStatus.of(7, personalized, blocked, hesLinked, expiresOnDay, risky);
  }

  /** The phases a tap.anonymousPolicy starts with: personalized ENFORCE, anonymous ENFORCE (DENY) or OFF (ALLOW). */
  private static RulePhases.Modes modes(AnonymousPolicy policy) {
    return new RulePhases.Modes(RuleMode.ENFORCE, policy == AnonymousPolicy.ALLOW ? RuleMode.OFF : RuleMode.ENFORCE);
  }

  private static TapOutcome decide(CardStatus status, AnonymousPolicy policy) {
    return TapDecider.decide(true, status, TODAY, modes(policy));
  }

  private static TapOutcome decide(CardStatus status) {
    return decide(status, AnonymousPolicy.DENY);
  }

  @ParameterizedTest
  @EnumSource(AnonymousPolicy.class)
  void anUnknownCardIsDeniedWhateverTheScratchStatusSays(AnonymousPolicy policy) {
    CardStatus leftover = status(true, false, true, NEXT_MONTH, false);
    assertThat(TapDecider.decide(false, leftover, TODAY, modes(policy))).isEqualTo(TapOutcome.DENY_UNKNOWN_CARD);
  }

  @Test
  void aPersonalizedCardWithAValidCodeAndNoRiskRides() {
    assertThat(decide(status(true, false, true, NEXT_MONTH, false))).isEqualTo(TapOutcome.ALLOW_OK);
  }

  @Test
  void aCodeWithoutExpiryIsValid() {
    assertThat(decide(status(true, false, true, CardStatus.NO_EXPIRY, false))).isEqualTo(TapOutcome.ALLOW_OK);
  }

  @Test
  void aBlockedCardIsDenied() {
    assertThat(decide(status(true, true, true, NEXT_MONTH, false))).isEqualTo(TapOutcome.DENY_CARD_BLOCKED);
  }

  @Test
  void anAnonymousCardIsDeniedUnderTheDenyPolicy() {
    assertThat(decide(status(false, false, false, CardStatus.NO_EXPIRY, false), AnonymousPolicy.DENY))
        .isEqualTo(TapOutcome.DENY_NOT_PERSONALIZED);
  }

  @Test
  void anAnonymousCardRidesUnderTheAllowPolicy() {
    assertThat(decide(status(false, false, false, CardStatus.NO_EXPIRY, false), AnonymousPolicy.ALLOW))
        .isEqualTo(TapOutcome.ALLOW_RULE_OFF);
  }

  @Test
  void aRiskyHolderIsDenied() {
    assertThat(decide(status(true, false, true, NEXT_MONTH, false))).isEqualTo(TapOutcome.ALLOW_OK);
    assertThat(decide(status(true, false, true, NEXT_MONTH, true))).isEqualTo(TapOutcome.DENY_HES_RISK);
  }

  @Test
  void aPersonalizedCardWithoutCodeIsDenied() {
    assertThat(decide(status(true, false, false, CardStatus.NO_EXPIRY, false))).isEqualTo(TapOutcome.DENY_NO_HES_CODE);
  }

  @Test
  void aCodeExpiringTodayIsExpired() {
    assertThat(decide(status(true, false, true, TODAY, false))).isEqualTo(TapOutcome.DENY_HES_EXPIRED);
  }

  @Test
  void aCodeExpiringTomorrowIsStillValidToday() {
    assertThat(decide(status(true, false, true, TODAY + 1, false))).isEqualTo(TapOutcome.ALLOW_OK);
  }

  @Test
  void aCodeThatExpiredLongAgoIsExpired() {
    assertThat(decide(status(true, false, true, TODAY - 400, false))).isEqualTo(TapOutcome.DENY_HES_EXPIRED);
  }

  // Precedence: blocked > not personalized (policy) > risky > no HES > expired > OK

  @ParameterizedTest
  @EnumSource(AnonymousPolicy.class)
  void aBlockWinsOverEverything(AnonymousPolicy policy) {
    assertThat(decide(status(false, true, false, CardStatus.NO_EXPIRY, true), policy)).isEqualTo(TapOutcome.DENY_CARD_BLOCKED);
    assertThat(decide(status(true, true, true, TODAY - 1, true), policy)).isEqualTo(TapOutcome.DENY_CARD_BLOCKED);
    assertThat(decide(status(true, true, false, CardStatus.NO_EXPIRY, false), policy)).isEqualTo(TapOutcome.DENY_CARD_BLOCKED);
  }

  @Test
  void thePolicyForAnonymousCardsWinsOverRiskAndCodeRules() {
    CardStatus anonymousRisky = status(false, false, false, CardStatus.NO_EXPIRY, true);
    assertThat(decide(anonymousRisky, AnonymousPolicy.DENY)).isEqualTo(TapOutcome.DENY_NOT_PERSONALIZED);
    assertThat(decide(anonymousRisky, AnonymousPolicy.ALLOW)).isEqualTo(TapOutcome.ALLOW_RULE_OFF);
  }

  @Test
  void riskWinsOverAMissingOrExpiredCode() {
    assertThat(decide(status(true, false, false, CardStatus.NO_EXPIRY, true))).isEqualTo(TapOutcome.DENY_HES_RISK);
    assertThat(decide(status(true, false, true, TODAY, true))).isEqualTo(TapOutcome.DENY_HES_RISK);
  }

  @Test
  void aMissingCodeWinsOverExpiry() {
    // Unlinking clears the expiry; a stale day must not turn NO_HES_CODE into HES_EXPIRED.
    assertThat(decide(status(true, false, false, TODAY - 1, false))).isEqualTo(TapOutcome.DENY_NO_HES_CODE);
  }

  @Test
  void enforcedOutcomesCarryTheirDecisionAndReasonAndOthersTheirMode() {
    for (TapOutcome outcome : TapOutcome.all()) {
      String tail = new String(outcome.jsonTail, java.nio.charset.StandardCharsets.US_ASCII);
      switch (outcome.mode()) {
        case ENFORCE -> {
          assertThat(outcome.decision()).isEqualTo(outcome.reason() == Reason.OK ? TapOutcome.Decision.ALLOW : TapOutcome.Decision.DENY);
          assertThat(outcome.name()).endsWith(outcome.reason().name());
          assertThat(tail).doesNotContain("mode");
        }
        case MONITOR -> {
          assertThat(outcome.decision()).isEqualTo(TapOutcome.Decision.ALLOW);
          assertThat(outcome.reason()).isNotIn(Reason.OK, Reason.CARD_BLOCKED, Reason.UNKNOWN_CARD);
          assertThat(tail).endsWith(",\"mode\":\"MONITOR\"}");
        }
        case OFF -> {
          assertThat(outcome).isEqualTo(TapOutcome.ALLOW_RULE_OFF);
          assertThat(tail).isEqualTo("\",\"decision\":\"ALLOW\",\"reason\":\"OK\",\"mode\":\"OFF\"}");
        }
      }
    }
    assertThat(TapOutcome.all()).filteredOn(outcome -> outcome.mode() == RuleMode.ENFORCE).extracting(TapOutcome::reason)
        .containsExactlyInAnyOrder(Reason.values());
  }

  // Phases at runtime

  @ParameterizedTest
  @EnumSource(RuleMode.class)
  void blocksAndUnknownCardsAreDeniedInEveryPhase(RuleMode mode) {
    RulePhases.Modes modes = new RulePhases.Modes(mode, mode);
    assertThat(TapDecider.decide(true, status(true, true, true, NEXT_MONTH, true), TODAY, modes)).isEqualTo(TapOutcome.DENY_CARD_BLOCKED);
    assertThat(TapDecider.decide(true, status(false, true, false, CardStatus.NO_EXPIRY, false), TODAY, modes))
        .isEqualTo(TapOutcome.DENY_CARD_BLOCKED);
    assertThat(TapDecider.decide(false, status(true, false, true, NEXT_MONTH, false), TODAY, modes)).isEqualTo(TapOutcome.DENY_UNKNOWN_CARD);
  }

  @Test
  void monitorAllowsWhatEnforceDeniesLabelledWithTheSameReasonAndOffAllowsIt() {
    RulePhases.Modes enforce = new RulePhases.Modes(RuleMode.ENFORCE, RuleMode.ENFORCE);
    RulePhases.Modes monitor = new RulePhases.Modes(RuleMode.MONITOR, RuleMode.MONITOR);
    RulePhases.Modes off = new RulePhases.Modes(RuleMode.OFF, RuleMode.OFF);
    for (CardStatus status : java.util.List.of(status(true, false, true, NEXT_MONTH, true), status(true, false, false, CardStatus.NO_EXPIRY, false),
        status(true, false, true, TODAY, false), status(false, false, false, CardStatus.NO_EXPIRY, false), status(true, false, true, NEXT_MONTH, false))) {
      TapOutcome enforced = TapDecider.decide(true, status, TODAY, enforce);
      TapOutcome monitored = TapDecider.decide(true, status, TODAY, monitor);
      TapOutcome lifted = TapDecider.decide(true, status, TODAY, off);
      assertThat(monitored.decision()).isEqualTo(TapOutcome.Decision.ALLOW);
      assertThat(monitored.reason()).as("the reason MONITOR reports is ENFORCE's").isEqualTo(enforced.reason());
      assertThat(lifted.decision()).isEqualTo(TapOutcome.Decision.ALLOW);
      if (enforced == TapOutcome.ALLOW_OK) {
        assertThat(monitored).isEqualTo(TapOutcome.ALLOW_OK);
        assertThat(lifted).isEqualTo(TapOutcome.ALLOW_OK);
      } else {
        assertThat(monitored.mode()).isEqualTo(RuleMode.MONITOR);
        assertThat(lifted).isEqualTo(TapOutcome.ALLOW_RULE_OFF);
      }
    }
  }

  @Test
  void eachKindOfCardFollowsItsOwnPhase() {
    RulePhases.Modes personalizedOnly = new RulePhases.Modes(RuleMode.ENFORCE, RuleMode.OFF);
    assertThat(TapDecider.decide(true, status(true, false, false, CardStatus.NO_EXPIRY, false), TODAY, personalizedOnly))
        .isEqualTo(TapOutcome.DENY_NO_HES_CODE);
    assertThat(TapDecider.decide(true, status(false, false, false, CardStatus.NO_EXPIRY, false), TODAY, personalizedOnly))
        .isEqualTo(TapOutcome.ALLOW_RULE_OFF);
    RulePhases.Modes anonymousOnly = new RulePhases.Modes(RuleMode.MONITOR, RuleMode.ENFORCE);
    assertThat(TapDecider.decide(true, status(true, false, true, NEXT_MONTH, true), TODAY, anonymousOnly))
        .isEqualTo(TapOutcome.MONITOR_HES_RISK);
    assertThat(TapDecider.decide(true, status(false, false, false, CardStatus.NO_EXPIRY, false), TODAY, anonymousOnly))
        .isEqualTo(TapOutcome.DENY_NOT_PERSONALIZED);
  }
}
