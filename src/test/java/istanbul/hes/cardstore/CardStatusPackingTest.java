package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.RulePhases;
import istanbul.hes.tap.TapDecider;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The map's 12-byte form of a card status: every status the map can be given comes back as it was. */
class CardStatusPackingTest {
  private static CardStatus roundTrip(CardStatus status) {
    return new CardStatus().unpack(status.packedHigh(), status.packedLow());
  }

  @Test
  void everyStatusComesBackAsItWasAndTheFormIsTwelveBytes() {
    SplittableRandom random = new SplittableRandom(16);
    for (int i = 0; i < 100_000; i++) {
      boolean linked = random.nextBoolean();
      CardStatus status = CardStatus.of(random.nextLong(CardStatus.MAX_PACKED_VERSION + 1), random.nextBoolean(), random.nextBoolean(),
          linked, random.nextInt(0, 0xFFFF), random.nextBoolean());
      status.index = random.nextInt(10) == 0 ? CardStatus.NO_INDEX : random.nextInt(CardStatus.MAX_PACKED_INDEX + 1);
      CardStatus back = roundTrip(status);
      assertThat(back).isEqualTo(status);
      assertThat(back.index()).isEqualTo(status.index());
      assertThat(back.version()).isEqualTo(status.version());
    }
    assertThat(CardStatus.PACKED_BYTES).isEqualTo(12);
    assertThat(CardStatusMarshaller.INSTANCE.size(new CardStatus())).isEqualTo(12);
  }

  @Test
  void theBoundsComeBackExactly() {
    CardStatus highest = CardStatus.of(CardStatus.MAX_PACKED_VERSION, true, true, true, 0xFFFE, true);
    highest.index = CardStatus.MAX_PACKED_INDEX;
    assertThat(roundTrip(highest)).isEqualTo(highest);
    assertThat(roundTrip(highest).index()).isEqualTo(CardStatus.MAX_PACKED_INDEX);
    CardStatus lowest = CardStatus.of(0, false, false, true, 0, false);
    assertThat(roundTrip(lowest)).isEqualTo(lowest);
    assertThat(roundTrip(lowest).index()).isEqualTo(CardStatus.NO_INDEX);
    CardStatus noExpiry = CardStatus.of(7, true, false, true, CardStatus.NO_EXPIRY, false);
    assertThat(roundTrip(noExpiry).hesExpiresOnDay()).isEqualTo(CardStatus.NO_EXPIRY);
  }

  @Test
  void aDayTheMapCannotHoldIsStoredAsOneThatDecidesTheSame() {
    int today = (int) LocalDate.of(2026, 12, 1).toEpochDay();
    RulePhases.Modes enforced = new RulePhases.Modes(RuleMode.ENFORCE, RuleMode.ENFORCE);
    for (int day : new int[] {-40_000, -1, 0xFFFF, 0xFFFF + 1, (int) LocalDate.of(9999, 12, 31).toEpochDay()}) {
      CardStatus status = CardStatus.of(3, true, false, true, day, false);
      assertThat(status.hesExpiresOnDay() == CardStatus.NO_EXPIRY || status.hesExpiresOnDay() >= 0 && status.hesExpiresOnDay() < 0xFFFF)
          .as("day %d stored as %d", day, status.hesExpiresOnDay()).isTrue();
      assertThat(TapDecider.decide(true, roundTrip(status), today, enforced))
          .as("day %d", day).isEqualTo(TapDecider.decide(true, rawExpiry(day), today, enforced));
      assertThat(roundTrip(status)).isEqualTo(status);
    }
  }

  @Test
  void aVersionOrIndexPastTheFormIsRefusedNotCut() {
    CardStatus tooNew = CardStatus.of(CardStatus.MAX_PACKED_VERSION + 1, true, false, false, CardStatus.NO_EXPIRY, false);
    assertThatThrownBy(tooNew::packedHigh).isInstanceOf(IllegalStateException.class).hasMessageContaining("48 bits");
    CardStatus tooMany = CardStatus.of(1, true, false, false, CardStatus.NO_EXPIRY, false);
    tooMany.index = CardStatus.MAX_PACKED_INDEX + 1;
    assertThatThrownBy(tooMany::packedLow).isInstanceOf(IllegalStateException.class).hasMessageContaining("28 bits");
  }

  /** A status whose expiry day is set as given, bypassing the storable form (what the decision would see unclamped). */
  private static CardStatus rawExpiry(int day) {
    CardStatus status = CardStatus.of(3, true, false, true, 1, false);
    status.hesExpiresOnDay = day;
    return status;
  }
}
