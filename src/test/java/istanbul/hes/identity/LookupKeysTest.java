package istanbul.hes.identity;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.demo.ProtectedValues;
import org.junit.jupiter.api.Test;

/** Pins the hashed forms: changing any of them orphans every stored hash. */
class LookupKeysTest {
  @Test
  void theFormsArePinned() {
    assertThat(LookupKeys.IDENTITY_PURPOSE).isEqualTo("identity");
    assertThat(LookupKeys.HES_CODE_PURPOSE).isEqualTo("hes-code");
    assertThat(LookupKeys.tcknIdentity("10000000146")).isEqualTo("TCKN:10000000146");
    assertThat(LookupKeys.passportIdentity("deu", "u 1234 5678")).isEqualTo("PASSPORT:DEU:U12345678");
    assertThat(LookupKeys.hesCode("g1b5-6449 15")).isEqualTo("G1B5644915");
    assertThat(LookupKeys.hesCodePrefix("G1B5644915")).isEqualTo("G1B5");
  }

  @Test
  void theDemoUsesTheSameDefinition() {
    assertThat(ProtectedValues.IDENTITY_PURPOSE).isEqualTo(LookupKeys.IDENTITY_PURPOSE);
    assertThat(ProtectedValues.HES_CODE_PURPOSE).isEqualTo(LookupKeys.HES_CODE_PURPOSE);
    assertThat(ProtectedValues.tcknIdentity("10000000146")).isEqualTo(LookupKeys.tcknIdentity("10000000146"));
    assertThat(ProtectedValues.passportIdentity("syr", "n 01")).isEqualTo(LookupKeys.passportIdentity("syr", "n 01"));
    assertThat(ProtectedValues.hesCode("a1b2-c3d4-e5")).isEqualTo("A1B2C3D4E5");
  }
}
