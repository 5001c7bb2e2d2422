package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.identity.LookupKeys;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class HesCodeProperties {
  @Property(tries = 2000)
  void everyPrintedFormParsesToTheSameCode(
      @ForAll("codes") String code, @ForAll("separators") String first, @ForAll("separators") String second,
      @ForAll boolean lowerCase) {
    String text = code.substring(0, 4) + first + code.substring(4, 8) + second + code.substring(8);
    if (lowerCase) {
      text = text.toLowerCase(Locale.ROOT);
    }
    HesCode parsed = HesCode.parse(text);
    assertThat(parsed.value()).isEqualTo(code);
    // Whatever the domain accepts, the lookup normalization maps to the same key.
    assertThat(LookupKeys.hesCode(text)).isEqualTo(parsed.keyName());
    assertThat(HesCode.parse(parsed.printed())).isEqualTo(parsed);
    assertThat(parsed.masked()).isEqualTo(code.substring(0, 4) + "-****-**");
  }

  @Property(tries = 2000)
  void anyNonAsciiLetterOrDigitMakesItInvalid(
      @ForAll("codes") String code, @ForAll @IntRange(min = 0, max = 9) int position, @ForAll("nonAsciiAlphanumerics") char c) {
    char[] text = code.toCharArray();
    text[position] = c;
    assertThatThrownBy(() -> HesCode.parse(new String(text))).isInstanceOf(InvalidInputException.class);
  }

  @Property(tries = 2000)
  void arbitraryStringsEitherParseOrFailWithTheCode(@ForAll("codeLike") String text) {
    try {
      HesCode code = HesCode.parse(text);
      assertThat(code.value()).matches("[A-Z0-9]{10}");
      assertThat(LookupKeys.hesCode(text)).isEqualTo(code.value());
    } catch (InvalidInputException e) {
      assertThat(e.code()).isEqualTo(ValidationCode.INVALID_HES_CODE);
    }
  }

  @Provide
  Arbitrary<String> codes() {
    return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(10);
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of("", "-", " ");
  }

  @Provide
  Arbitrary<Character> nonAsciiAlphanumerics() {
    return Arbitraries.chars().range('\u0080', '\uFFFF').filter(Character::isLetterOrDigit);
  }

  @Provide
  Arbitrary<String> codeLike() {
    return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').withCharRange('0', '9')
        .withChars('-', ' ', 'ı', 'İ', '５').ofMinLength(0).ofMaxLength(14);
  }
}
