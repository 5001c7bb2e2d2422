package istanbul.hes.demo;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.demo.DemoPopulation.Profile;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's citizen walk-through works on a fresh demo only if its person, codes and card are
 * the demo's: the person is nobody of the generated population, the simulator is told her codes,
 * and the README shows the values the demo prints.
 */
class DemoWalkThroughTest {
  @Test
  void thePersonIsValidAndNoGeneratedHolderSoOnlyHerRegisteredCodesAreKnown() {
    assertThat(Tckn.isValid(DemoWalkThrough.TCKN)).isTrue();
    HesCode.parse(DemoWalkThrough.FIRST_CODE);
    HesCode.parse(DemoWalkThrough.SECOND_CODE);
    DemoHesCodes population = new DemoHesCodes(DemoPopulation.MAX_CARDS);
    assertThat(population.ofPerson(DemoWalkThrough.TCKN)).isEmpty();

    HealthMinistrySimulator ministry = new HealthMinistrySimulator("127.0.0.1", 0, "user", "password", population);
    assertThat(ministry.find(DemoWalkThrough.FIRST_CODE.replace("-", ""))).isEmpty();
    DemoWalkThrough.register(ministry);
    for (String code : new String[] {DemoWalkThrough.FIRST_CODE, DemoWalkThrough.SECOND_CODE}) {
      HesCodeRecord record = ministry.find(code.replace("-", "")).orElseThrow();
      assertThat(record.identityNumber()).isEqualTo(DemoWalkThrough.TCKN);
      assertThat(record.firstName()).isEqualTo(DemoWalkThrough.FIRST_NAME);
      assertThat(record.lastName()).isEqualTo(DemoWalkThrough.LAST_NAME);
      assertThat(record.status()).isEqualTo(HesCodeRecord.Status.RISKLESS);
    }
  }

  @Test
  void theReadmeShowsTheDemosPersonCodesAndFirstAnonymousCard() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String card = CardNumber.format(DemoPopulation.cardNumber(DemoPopulation.find(Profile.NOT_PERSONALIZED, 0, DemoCommand.DEFAULT_CARDS)));
    assertThat(readme)
        .contains("--subject TCKN:" + DemoWalkThrough.TCKN)
        .contains("\"hesCode\":\"" + DemoWalkThrough.FIRST_CODE + "\"")
        .contains("\"hesCode\":\"" + DemoWalkThrough.SECOND_CODE + "\"")
        .contains("$C/cards/" + card + "/owner")
        .contains("\"firstName\":\"" + DemoWalkThrough.FIRST_NAME + "\",\"lastName\":\"" + DemoWalkThrough.LAST_NAME + "\"")
        .contains("\"phone\":\"" + DemoWalkThrough.PHONE + "\"");
  }
}
