package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class PhoneNumberProperties {
  @Property(tries = 2000)
  void everyCommonFormOfATurkishMobileNormalizesTheSame(
      @ForAll @LongRange(min = 0, max = 999_999_999L) long subscriber, @ForAll("prefixes") String prefix,
      @ForAll("groupings") int grouping) {
    String national = "5" + String.format("%09d", subscriber);
    String grouped = switch (grouping) {
      case 0 -> national;
      case 1 -> national.substring(0, 3) + " " + national.substring(3, 6) + " " + national.substring(6, 8) + " " + national.substring(8);
      case 2 -> national.substring(0, 3) + " " + national.substring(3, 6) + " " + national.substring(6);
      default -> national.substring(0, 3) + "-" + national.substring(3, 6) + "-" + national.substring(6, 8) + "-" + national.substring(8);
    };
    PhoneNumber phone = PhoneNumber.parse(prefix + grouped);
    assertThat(phone.value()).isEqualTo("+90" + national);
    assertThat(PhoneNumber.parse(phone.value())).isEqualTo(phone);
    assertThat(phone.toString()).doesNotContain(national.substring(0, 8));
  }

  @Property(tries = 2000)
  void parsedNumbersAreAlwaysE164(@ForAll("phoneLike") String text) {
    try {
      PhoneNumber phone = PhoneNumber.parse(text);
      assertThat(phone.value()).matches("\\+[1-9][0-9]{7,14}");
      if (phone.value().startsWith("+90")) {
        assertThat(phone.value()).matches("\\+905[0-9]{9}");
      }
    } catch (InvalidInputException e) {
      assertThat(e.code()).isEqualTo(ValidationCode.INVALID_PHONE);
    }
  }

  @Provide
  Arbitrary<String> prefixes() {
    return Arbitraries.of("", "0", "90", "+90", "+90 ", "0090", "0090 ");
  }

  @Provide
  Arbitrary<Integer> groupings() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<String> phoneLike() {
    return Arbitraries.strings().withCharRange('0', '9').withChars('+', ' ', '-', '(', ')', '٣')
        .ofMinLength(0).ofMaxLength(20);
  }
}
