package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class TcknProperties {
  /** Every Unicode decimal digit or other number outside ASCII (Arabic-Indic, full-width, Devanagari, ...). */
  private static final List<Character> NON_ASCII_DIGITS = IntStream.rangeClosed(128, Character.MAX_VALUE)
      .filter(c -> Character.isDigit(c) || Character.getType(c) == Character.OTHER_NUMBER)
      .mapToObj(c -> (char) c)
      .toList();

  @Property(tries = 2000)
  void everyGeneratedNumberParses(@ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine) {
    Tckn generated = Tckn.fromFirstNine(firstNine);
    assertThat(generated.value()).hasSize(11).startsWith(Long.toString(firstNine));
    assertThat(Tckn.parse(generated.value())).isEqualTo(generated);
    assertThat(reference(generated.value())).isTrue();
  }

  /**
   * Always true, not just usually: changing one of d1..d10 by δ (δ ≠ 0, |δ| ≤ 9) changes their
   * sum by δ, which is not 0 modulo 10, so d11 no longer matches; changing d11 alone breaks d11.
   * A single substituted digit therefore never yields another valid number.
   */
  @Property(tries = 3000)
  void anySingleDigitChangeIsDetected(
      @ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine,
      @ForAll @IntRange(min = 0, max = 10) int position,
      @ForAll @IntRange(min = 1, max = 9) int shift) {
    char[] digits = Tckn.fromFirstNine(firstNine).value().toCharArray();
    digits[position] = (char) ('0' + (digits[position] - '0' + shift) % 10);
    String changed = new String(digits);
    assertThat(Tckn.isValid(changed)).isFalse();
    assertThatThrownBy(() -> Tckn.parse(changed)).isInstanceOf(InvalidInputException.class);
  }

  /**
   * The checksum's honest limit: swapping two digits of the same group (odd positions d1,d3,..,d9
   * or even positions d2,..,d8) leaves both sums unchanged, so the result is another valid number
   * whenever it does not start with 0. Such a typo is caught later (by the ministry's masked
   * identity or the identity provider), not here.
   */
  @Property(tries = 1000)
  void swapsWithinAParityGroupAreNotDetected(
      @ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine,
      @ForAll @IntRange(min = 0, max = 8) int i,
      @ForAll @IntRange(min = 0, max = 8) int j) {
    Assume.that(i % 2 == j % 2);
    char[] digits = Tckn.fromFirstNine(firstNine).value().toCharArray();
    char swap = digits[i];
    digits[i] = digits[j];
    digits[j] = swap;
    String swapped = new String(digits);
    assertThat(Tckn.isValid(swapped)).isEqualTo(swapped.charAt(0) != '0');
  }

  @Property(tries = 2000)
  void aLookAlikeDigitAnywhereIsInvalid(
      @ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine,
      @ForAll @IntRange(min = 0, max = 10) int position,
      @ForAll("nonAsciiDigits") char digit) {
    char[] text = Tckn.fromFirstNine(firstNine).value().toCharArray();
    text[position] = digit;
    assertThat(Tckn.isValid(new String(text))).isFalse();
  }

  @Property(tries = 1000)
  void theNumericValueOfALookAlikeDoesNotHelp(@ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine) {
    // Replace every digit by the full-width digit of the same value: Character.getNumericValue
    // would read the same number, the parser must not.
    String ascii = Tckn.fromFirstNine(firstNine).value();
    StringBuilder fullWidth = new StringBuilder();
    ascii.chars().forEach(c -> fullWidth.append((char) ('０' + (c - '0'))));
    assertThat(Tckn.isValid(fullWidth.toString())).isFalse();
  }

  /** Near-misses: nine valid leading digits and two random ones agree with an independent implementation. */
  @Property(tries = 3000)
  void agreesWithAReferenceImplementation(
      @ForAll @LongRange(min = 0, max = 99_999_999_999L) long number) {
    String text = String.format("%011d", number);
    assertThat(Tckn.isValid(text)).isEqualTo(reference(text));
  }

  @Property(tries = 2000)
  void agreesWithTheReferenceOnNearMisses(
      @ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine, @ForAll @IntRange(min = 0, max = 99) int lastTwo) {
    String text = firstNine + String.format("%02d", lastTwo);
    assertThat(Tckn.isValid(text)).isEqualTo(reference(text));
  }

  @Property(tries = 1000)
  void maskedNeverShowsMoreThanTheLastThreeDigits(@ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine) {
    Tckn tckn = Tckn.fromFirstNine(firstNine);
    assertThat(tckn.masked()).isEqualTo("********" + tckn.value().substring(8));
    assertThat(tckn.toString()).doesNotContain(tckn.value().substring(0, 4));
  }

  @Provide
  Arbitrary<Character> nonAsciiDigits() {
    return Arbitraries.of(NON_ASCII_DIGITS);
  }

  /** The rule written out differently: explicit odd/even sums and a +100 instead of floorMod. */
  private static boolean reference(String text) {
    if (!text.matches("[1-9][0-9]{10}")) {
      return false;
    }
    int odd = 0;
    int even = 0;
    int total = 0;
    for (int position = 1; position <= 9; position++) {
      int digit = text.charAt(position - 1) - '0';
      if (position % 2 == 1) {
        odd += digit;
      } else {
        even += digit;
      }
    }
    int tenth = (odd * 7 - even + 100) % 10;
    for (int k = 0; k < 10; k++) {
      total += text.charAt(k) - '0';
    }
    return text.charAt(9) - '0' == tenth && text.charAt(10) - '0' == total % 10;
  }
}
