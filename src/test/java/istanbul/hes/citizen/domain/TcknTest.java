package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcknTest {
  /**
   * Worked by hand from the formula. 10000000146: odd positions 1+0+0+0+1 = 2, 2*7 - 0 = 14 → d10 = 4;
   * 1+0+0+0+0+0+0+0+1+4 = 6 → d11 = 6.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "10000000146",
      "12345678950",
      "98765432150",
      "99999999990",
      "90000000032",
      "10000000078",
      "10000008098", // (1)*7 - 8 = -1: floor modulo gives 9 (a truncating % would give -1)
      "19090909018", // 1*7 - 36 = -29: floor modulo gives 1
      "99123456740", // a foreign resident's number (YKN) follows the same rule
  })
  void validNumbersParse(String text) {
    Tckn tckn = Tckn.parse(text);
    assertThat(tckn.value()).isEqualTo(text);
    assertThat(Tckn.isValid(text)).isTrue();
  }

  @Test
  void fromFirstNineAppendsTheCheckDigits() {
    assertThat(Tckn.fromFirstNine(100_000_001L).value()).isEqualTo("10000000146");
    assertThat(Tckn.fromFirstNine(100_000_080L).value()).isEqualTo("10000008098");
    assertThat(Tckn.fromFirstNine(190_909_090L).value()).isEqualTo("19090909018");
    assertThatThrownBy(() -> Tckn.fromFirstNine(99_999_999L)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tckn.fromFirstNine(1_000_000_000L)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "1000000014",     // 10 digits
      "100000001460",   // 12 digits
      "10000000145",    // wrong d11
      "10000000156",    // wrong d10
      "10000008010",    // d10 = |-1| mod 10 = 1 (wrong: floor modulo gives 9), d11 adjusted
      "19090909096",    // d10 = |-29| mod 10 = 9 (wrong, floor modulo gives 1), d11 adjusted
      "00000000000",    // leading zero
      "01000000146",
      "1000000014６",    // full-width digit
      "１0000000146",    // full-width digit first
      "1000000014٦",    // Arabic-Indic six
      "1000000014۶",    // extended Arabic-Indic six
      "1000000014६",    // Devanagari six
      " 10000000146",   // leading space
      "10000000146 ",   // trailing space
      "100 000 001 46", // grouped
      "+10000000146",
      "-10000000146",
      "1000000014a",
      "1000000014.",
      "1e10",
  })
  void invalidNumbersAreRejected(String text) {
    assertThat(Tckn.isValid(text)).isFalse();
    assertThatThrownBy(() -> Tckn.parse(text))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_TCKN);
          assertThat(e.field()).isEqualTo("tckn");
          assertThat(e.detail()).contains("tckn");
          if (text.length() >= 3) {
            assertThat(e.detail()).doesNotContain(text.strip());
          }
        });
  }

  @Test
  void nullIsMissing() {
    assertThat(Tckn.isValid(null)).isFalse();
    assertThatThrownBy(() -> Tckn.parse(null, "identityNumber"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_TCKN);
          assertThat(e.field()).isEqualTo("identityNumber");
          assertThat(e.detail()).isEqualTo("identityNumber is missing");
        });
  }

  @Test
  void toStringShowsTheLastThreeDigitsOnly() {
    Tckn tckn = Tckn.parse("12345678950");
    assertThat(tckn.masked()).isEqualTo("********950");
    assertThat(tckn.toString()).isEqualTo("Tckn[********950]").doesNotContain("12345678");
  }

  @Test
  void keyNameIsTheLookupForm() {
    assertThat(Tckn.parse("10000000146").keyName()).isEqualTo("TCKN:10000000146");
    assertThat(Tckn.parse("10000000146").documentNumber()).isEqualTo("10000000146");
  }

  @Test
  void equalityIsByValue() {
    assertThat(Tckn.parse("10000000146")).isEqualTo(Tckn.fromFirstNine(100_000_001L))
        .hasSameHashCodeAs(Tckn.fromFirstNine(100_000_001L))
        .isNotEqualTo(Tckn.parse("12345678950"));
  }
}
