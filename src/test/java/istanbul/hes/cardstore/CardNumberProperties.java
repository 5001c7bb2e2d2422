package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class CardNumberProperties {
  /** Every Unicode decimal digit outside ASCII (Arabic-Indic, full-width, Devanagari, ...). */
  private static final List<Character> NON_ASCII_DIGITS = IntStream.rangeClosed(128, Character.MAX_VALUE)
      .filter(c -> Character.isDigit(c) || Character.getType(c) == Character.OTHER_NUMBER)
      .mapToObj(c -> (char) c)
      .toList();

  @Property(tries = 2000)
  void formatThenParseIsTheIdentity(@ForAll @LongRange(min = 0, max = CardNumber.MAX) long card) {
    assertThat(CardNumber.parse(CardNumber.format(card))).isEqualTo(card);
  }

  @Property(tries = 2000)
  void theSpacedFormParsesToTheSameNumber(@ForAll @LongRange(min = 0, max = CardNumber.MAX) long card) {
    String digits = CardNumber.format(card);
    String spaced = digits.substring(0, 4) + " " + digits.substring(4, 8) + " " + digits.substring(8, 12) + " " + digits.substring(12);
    assertThat(CardNumber.parse(spaced)).isEqualTo(card);
  }

  @Property(tries = 2000)
  void aValidNumberWithOneDigitReplacedByANonAsciiDigitIsInvalid(
      @ForAll @LongRange(min = 0, max = CardNumber.MAX) long card,
      @ForAll @IntRange(min = 0, max = 15) int position,
      @ForAll("nonAsciiDigits") char digit) {
    char[] text = CardNumber.format(card).toCharArray();
    text[position] = digit;
    assertThat(CardNumber.parse(new String(text))).isEqualTo(CardNumber.INVALID);
  }

  @Property(tries = 2000)
  void anyStringContainingANonAsciiDigitIsInvalid(
      @ForAll("digitHeavyStrings") String text, @ForAll("nonAsciiDigits") char digit, @ForAll @IntRange(min = 0, max = 19) int at) {
    int position = Math.min(at, text.length());
    String withDigit = text.substring(0, position) + digit + text.substring(position);
    assertThat(CardNumber.parse(withDigit)).isEqualTo(CardNumber.INVALID);
  }

  @Provide
  Arbitrary<Character> nonAsciiDigits() {
    return Arbitraries.of(NON_ASCII_DIGITS);
  }

  /** Mostly ASCII digits and spaces, so the strings often come close to a valid card number. */
  @Provide
  Arbitrary<String> digitHeavyStrings() {
    Arbitrary<Character> characters = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.chars().range('0', '9')),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(' ')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
    return characters.list().ofMinSize(0).ofMaxSize(19).map(list -> {
      StringBuilder text = new StringBuilder();
      list.forEach(text::append);
      return text.toString();
    });
  }
}
