package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.demo.ProtectedValues;
import java.time.Year;
import org.junit.jupiter.api.Test;

/**
 * The demo population's synthetic people are valid citizens for the citizen API, and the demo
 * hashed exactly the strings the API will look up: otherwise a demo holder could not be found.
 */
class DemoPopulationConsistencyTest {
  private static final int CARDS = 200_000;

  @Test
  void demoHoldersAreValidAndTheirKeyNamesAgree() {
    int personalized = 0;
    int foreigners = 0;
    for (long i = 0; i < CARDS; i++) {
      if (!DemoPopulation.personalized(i)) {
        continue;
      }
      personalized++;
      PersonIdentity identity;
      String demoKey;
      if (DemoPopulation.foreigner(i)) {
        foreigners++;
        identity = PassportIdentity.parse(DemoPopulation.passportNumber(i), DemoPopulation.nationality(i));
        demoKey = ProtectedValues.passportIdentity(DemoPopulation.nationality(i), DemoPopulation.passportNumber(i));
      } else {
        identity = Tckn.parse(DemoPopulation.tckn(i));
        demoKey = ProtectedValues.tcknIdentity(DemoPopulation.tckn(i));
      }
      assertThat(identity.keyName()).isEqualTo(demoKey);
      assertThat(PersonIdentity.fromKeyName(demoKey, "sub")).isEqualTo(identity);

      HesCode code = HesCode.parse(DemoPopulation.hesCode(i));
      assertThat(code.keyName()).isEqualTo(ProtectedValues.hesCode(DemoPopulation.hesCode(i)));
      assertThat(code.prefix()).isEqualTo(ProtectedValues.hesCodePrefix(ProtectedValues.hesCode(DemoPopulation.hesCode(i))));

      assertThat(PersonName.firstName(DemoPopulation.firstName(i)).value()).isEqualTo(DemoPopulation.firstName(i));
      assertThat(PersonName.lastName(DemoPopulation.lastName(i)).value()).isEqualTo(DemoPopulation.lastName(i));
      assertThat(PhoneNumber.parse(DemoPopulation.phone(i)).value()).isEqualTo(DemoPopulation.phone(i));
      assertThat(BirthYear.of(DemoPopulation.birthYear(i), Year.of(2026)).value()).isEqualTo(DemoPopulation.birthYear(i));
    }
    assertThat(personalized).isGreaterThan(CARDS / 5);
    assertThat(foreigners).isGreaterThan(100);
  }
}
