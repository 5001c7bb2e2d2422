package istanbul.hes.demo;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.demo.DemoPopulation.HesState;
import istanbul.hes.simulator.health.HesCodeRecord;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo ministry knows exactly the demo holders' codes, found back from a code or an identity number. */
class DemoHesCodesTest {
  private static final long CARDS = 50_000;
  private final DemoHesCodes directory = new DemoHesCodes(CARDS);

  @Test
  void everyHolderIsFoundByCodeAndByIdentityNumberAndNobodyElse() {
    int holders = 0;
    for (long i = 0; i < CARDS; i++) {
      String code = DemoPopulation.hesCode(i);
      Optional<HesCodeRecord> found = directory.find(code);
      if (!DemoPopulation.personalized(i)) {
        assertThat(found).as("card %d is anonymous", i).isEmpty();
        continue;
      }
      holders++;
      HesCodeRecord record = found.orElseThrow();
      assertThat(record.identityNumber()).isEqualTo(DemoHesCodes.identityNumber(i));
      assertThat(record.firstName()).isEqualTo(DemoPopulation.firstName(i));
      assertThat(record.status()).isEqualTo(DemoPopulation.risky(i) ? HesCodeRecord.Status.RISKY : HesCodeRecord.Status.RISKLESS);
      if (DemoPopulation.hes(i) == HesState.EXPIRED) {
        assertThat(record.expiresAt().toLocalDate()).isBefore(LocalDate.of(2022, 1, 1));
      } else {
        assertThat(record.expiresAt().toLocalDate()).isAfter(LocalDate.of(2034, 12, 31));
      }
      HesCodeRecord alternate = directory.find(DemoPopulation.alternateHesCode(i)).orElseThrow();
      assertThat(alternate.hesCode()).isNotEqualTo(code);
      assertThat(alternate.identityNumber()).isEqualTo(record.identityNumber());
      assertThat(directory.ofPerson(record.identityNumber())).containsExactly(record, alternate);
    }
    assertThat(holders).as("about a quarter of demo cards are personalized").isGreaterThan((int) (CARDS / 10));
  }

  @Test
  void codesAndIdentitiesOutsideThePopulationAreUnknown() {
    long beyond = DemoPopulation.find(DemoPopulation.Profile.ALLOW, CARDS, CARDS * 2);
    assertThat(directory.find(DemoPopulation.hesCode(beyond))).isEmpty();
    assertThat(directory.ofPerson(DemoPopulation.tckn(beyond))).isEmpty();
    String code = DemoPopulation.hesCode(DemoPopulation.find(DemoPopulation.Profile.ALLOW, 0, CARDS));
    String otherLetters = (char) ('A' + (code.charAt(0) - 'A' + 1) % 26) + code.substring(1);
    assertThat(directory.find(otherLetters)).isEmpty();
    for (String junk : new String[] {"", "A1B", "11B2345678", "A1B234567X", "ZZZZZZZZZZ"}) {
      assertThat(directory.find(junk)).isEmpty();
    }
    for (String junk : new String[] {"", "12345", "U1234567X", "00000000000"}) {
      assertThat(directory.ofPerson(junk)).isEmpty();
    }
  }
}
