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

  private static TapOutcome decide(CardStatus status, AnonymousPolicy policy) {
    return TapDecider.decide(true, status, TODAY, policy);
  }

  private static TapOutcome decide(CardStatus status) {
    return decide(status, AnonymousPolicy.DENY);
  }

  @ParameterizedTest
  @EnumSource(AnonymousPolicy.class)
  void anUnknownCardIsDeniedWhateverTheScratchStatusSays(AnonymousPolicy policy) {
    CardStatus leftover = status(true, false, true, NEXT_MONTH, false);
    assertThat(TapDecider.decide(false, leftover, TODAY, policy)).isEqualTo(TapOutcome.DENY_UNKNOWN_CARD);
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
        .isEqualTo(TapOutcome.ALLOW_OK);
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
    assertThat(decide(anonymousRisky, AnonymousPolicy.ALLOW)).isEqualTo(TapOutcome.ALLOW_OK);
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
  void outcomesCarryTheirDecisionAndReason() {
    for (TapOutcome outcome : TapOutcome.all()) {
      assertThat(outcome.decision()).isEqualTo(outcome.reason() == Reason.OK ? TapOutcome.Decision.ALLOW : TapOutcome.Decision.DENY);
      assertThat(outcome.name()).endsWith(outcome.reason().name());
    }
    assertThat(TapOutcome.all()).extracting(TapOutcome::reason).containsExactlyInAnyOrder(Reason.values());
  }
}
