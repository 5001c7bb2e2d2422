package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CardNumberTest {
  @Test
  void sixteenDigitsParse() {
    assertThat(CardNumber.parse("4000123456789012")).isEqualTo(4_000_123_456_789_012L);
  }

  @Test
  void fourGroupsOfFourSeparatedBySingleSpacesParse() {
    assertThat(CardNumber.parse("4000 1234 5678 9012")).isEqualTo(4_000_123_456_789_012L);
  }

  @Test
  void leadingZerosAreKept() {
    assertThat(CardNumber.parse("0000000000000042")).isEqualTo(42L);
    assertThat(CardNumber.parse("0000 0000 0000 0042")).isEqualTo(42L);
    assertThat(CardNumber.format(42L)).isEqualTo("0000000000000042");
  }

  @Test
  void theExtremesParse() {
    assertThat(CardNumber.parse("0000000000000000")).isZero();
    assertThat(CardNumber.parse("9999999999999999")).isEqualTo(CardNumber.MAX);
  }

  @Test
  void aSliceOfACharArrayParses() {
    char[] buffer = "xx4000123456789012yy".toCharArray();
    assertThat(CardNumber.parse(buffer, 2, 16)).isEqualTo(4_000_123_456_789_012L);
  }

  @Test
  void maskedShowsTheLastFourDigitsOnly() {
    assertThat(CardNumber.masked(4_000_123_456_789_012L)).isEqualTo("************9012");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "400012345678901",            // 15 digits
      "40001234567890123",          // 17 digits
      "400012345678901A",           // a letter
      "4000123456789O12",           // letter O for zero
      "4000\t1234\t5678\t9012",     // tabs
      "4000  1234 5678 9012",       // a double space
      "4000 1234 5678 9012 ",       // trailing space
      " 4000 1234 5678 9012",       // leading space
      " 4000123456789012",          // leading space, unspaced
      "4000123456789012 ",          // trailing space, unspaced
      "400 0123 4567 89012",        // wrong grouping, right length
      "40001 234 5678 9012",        // wrong grouping
      "4000-1234-5678-9012",        // dashes
      "4000_1234_5678_9012",        // underscores
      "4000\u00a01234\u00a05678\u00a09012", // no-break spaces
      "４０００１２３４５６７８９０１２",   // full-width digits
      "4000１23456789012",           // one full-width digit
      "\u0664000123456789012",       // Arabic-Indic four
      "400012345678901\u06f2",       // Extended Arabic-Indic two
      "400012345678901\u0969",       // Devanagari three
      "400012345678901\u00b2",       // superscript two
      "400012345678901\u2082",       // subscript two
      "+400012345678901",            // plus sign
      "-400012345678901",            // minus sign
      "+4000123456789012",           // plus sign, 16 digits after it
      "4000.1234.5678.9012",
      "4000 1234 5678 901/"})
  void everythingElseIsInvalid(String text) {
    assertThat(CardNumber.parse(text)).isEqualTo(CardNumber.INVALID);
  }

  @Test
  void validityCoversSixteenDigitsOnly() {
    assertThat(CardNumber.isValid(0)).isTrue();
    assertThat(CardNumber.isValid(CardNumber.MAX)).isTrue();
    assertThat(CardNumber.isValid(CardNumber.MAX + 1)).isFalse();
    assertThat(CardNumber.isValid(-1)).isFalse();
  }
}
