package istanbul.hes.identity;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.demo.ProtectedValues;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The normalization moved from the demo to {@link LookupKeys} without changing a byte: the old
 * code, kept here verbatim, and the new agree on any input (not only on valid values).
 */
class LookupKeysProperties {
  private static String oldTcknIdentity(String tckn) {
    return "TCKN:" + tckn;
  }

  private static String oldPassportIdentity(String nationality, String passportNumber) {
    return "PASSPORT:" + nationality.toUpperCase(Locale.ROOT) + ":"
        + passportNumber.replace(" ", "").toUpperCase(Locale.ROOT);
  }

  private static String oldHesCode(String hesCode) {
    return hesCode.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
  }

  @Property(tries = 3000)
  void sameAsTheDemosOriginalNormalization(@ForAll String a, @ForAll String b) {
    assertThat(LookupKeys.tcknIdentity(a)).isEqualTo(oldTcknIdentity(a));
    assertThat(LookupKeys.passportIdentity(a, b)).isEqualTo(oldPassportIdentity(a, b));
    assertThat(LookupKeys.hesCode(a)).isEqualTo(oldHesCode(a));
    assertThat(ProtectedValues.tcknIdentity(a)).isEqualTo(oldTcknIdentity(a));
    assertThat(ProtectedValues.passportIdentity(a, b)).isEqualTo(oldPassportIdentity(a, b));
    assertThat(ProtectedValues.hesCode(a)).isEqualTo(oldHesCode(a));
  }
}
