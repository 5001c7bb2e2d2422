package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HesCodeTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "G1B5644915",
      "g1b5644915",
      "G1B5-6449-15",
      "g1b5-6449-15",
      "G1B5 6449 15",
      "G1B5 6449-15",
      "G1B5-644915",
      "G1B56449 15",
  })
  void acceptedFormsNormalizeToTheTenCharacters(String text) {
    HesCode code = HesCode.parse(text);
    assertThat(code.value()).isEqualTo("G1B5644915");
    assertThat(code.keyName()).isEqualTo("G1B5644915");
    assertThat(code.printed()).isEqualTo("G1B5-6449-15");
  }

  @Test
  void anyTenLettersAndDigitsAreAccepted() {
    assertThat(HesCode.parse("ABCDEFGHIJ").value()).isEqualTo("ABCDEFGHIJ");
    assertThat(HesCode.parse("0123456789").value()).isEqualTo("0123456789");
    assertThat(HesCode.parse("zzzz-zzzz-zz").value()).isEqualTo("ZZZZZZZZZZ");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "G1B564491",       // 9
      "G1B56449155",     // 11
      "G1B5-6449-155",
      "G1B5--6449-15",   // double separator
      "G1B5- 6449-15",
      "G1B-56449-15",    // wrong grouping
      "G1B56-449-15",
      "G1B5-64-4915",
      "-G1B5644915",
      "G1B5644915-",
      " G1B5644915",
      "G1B5644915 ",
      "G1B5_6449_15",
      "G1B5.6449.15",
      "G1B5\t6449\t15",
      "G1B5\u00A06449\u00A015", // no-break spaces
      "G1B5\u20106449\u201015", // Unicode hyphens
      "G1B5644915\n",
      "G1B564491ı",      // Turkish dotless i (upper-cases to ASCII I under ROOT)
      "G1B564491İ",      // Turkish dotted capital I
      "G1B564491ſ",      // long s (upper-cases to ASCII S)
      "Ｇ1B5644915",      // full-width letter
      "G1B564491５",      // full-width digit
      "G1B564491٥",      // Arabic-Indic digit
      "G1B564491Ç",
      "G1B5*6449*15",
  })
  void otherFormsAreInvalid(String text) {
    assertThatThrownBy(() -> HesCode.parse(text))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_HES_CODE);
          assertThat(e.field()).isEqualTo("hesCode");
          if (text.length() >= 5) {
            assertThat(e.detail()).doesNotContain(text.strip());
          }
        });
  }

  @Test
  void nullIsMissing() {
    assertThatThrownBy(() -> HesCode.parse(null))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.detail()).isEqualTo("hesCode is missing"));
  }

  @Test
  void maskedShowsTheFirstFourOnly() {
    HesCode code = HesCode.parse("a1b2-c3d4-e5");
    assertThat(code.masked()).isEqualTo("A1B2-****-**");
    assertThat(code.prefix()).isEqualTo("A1B2");
    assertThat(code.toString()).isEqualTo("HesCode[A1B2-****-**]").doesNotContain("C3D4");
  }

  @Test
  void equalityIsByNormalizedValue() {
    assertThat(HesCode.parse("a1b2 c3d4 e5")).isEqualTo(HesCode.parse("A1B2C3D4E5"))
        .hasSameHashCodeAs(HesCode.parse("A1B2-C3D4-E5"));
  }
}
