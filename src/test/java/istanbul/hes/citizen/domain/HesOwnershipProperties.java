package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.citizen.domain.HesOwnership.Part;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class HesOwnershipProperties {
  private static final Locale TURKISH = Locale.forLanguageTag("tr");
  private static final String TURKISH_LETTERS = "abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ";

  /** What the ministry is assumed to do: the last three characters of the number visible. */
  private static String maskNumber(String number) {
    return "*".repeat(number.length() - 3) + number.substring(number.length() - 3);
  }

  /** The first two letters visible, upper case under Turkish rules, then one '*' per further letter. */
  private static String maskName(String name) {
    int[] cps = name.codePoints().toArray();
    StringBuilder masked = new StringBuilder();
    for (int k = 0; k < cps.length; k++) {
      masked.append(k < 2 ? new String(Character.toChars(cps[k])).toUpperCase(TURKISH) : "*");
    }
    return masked.toString();
  }

  @Property(tries = 2000)
  void theMinistrysMaskOfTheCallerAlwaysMatches(
      @ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long firstNine,
      @ForAll("names") String first, @ForAll("names") String last, @ForAll boolean lowerCaseInput) {
    Tckn tckn = Tckn.fromFirstNine(firstNine);
    PersonName firstName = PersonName.firstName(lowerCaseInput ? first.toLowerCase(TURKISH) : first);
    PersonName lastName = PersonName.lastName(last);
    MaskedHolder holder = new MaskedHolder(maskNumber(tckn.value()), maskName(first), maskName(last));
    assertThat(HesOwnership.check(tckn, firstName, lastName, holder).owned()).isTrue();
  }

  @Property(tries = 2000)
  void anotherPersonsNumberIsAMismatchWhenItsLastThreeDigitsDiffer(
      @ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long caller,
      @ForAll @LongRange(min = 100_000_000L, max = 999_999_999L) long holder) {
    Tckn callerTckn = Tckn.fromFirstNine(caller);
    Tckn holderTckn = Tckn.fromFirstNine(holder);
    boolean sameVisible = callerTckn.value().substring(8).equals(holderTckn.value().substring(8));
    var result = HesOwnership.check(callerTckn, PersonName.firstName("Ali"), PersonName.lastName("Can"),
        new MaskedHolder(holderTckn.masked(), "AL*", "CA*"));
    assertThat(result.owned()).isEqualTo(sameVisible);
  }

  @Property(tries = 2000)
  void changingAVisibleLetterOfTheMaskIsAMismatch(
      @ForAll("names") String last, @ForAll @IntRange(min = 0, max = 1) int position, @ForAll("letters") char replacement) {
    String masked = maskName(last);
    Assume.that(position < masked.length());
    String original = String.valueOf(masked.charAt(position));
    Assume.that(!String.valueOf(replacement).toUpperCase(TURKISH).equals(original));
    String changed = masked.substring(0, position) + replacement + masked.substring(position + 1);
    var result = HesOwnership.check(Tckn.parse("10000000146"), PersonName.firstName("Ali"), PersonName.lastName(last),
        new MaskedHolder("********146", "AL*", changed));
    assertThat(result.mismatched()).containsExactly(Part.LAST_NAME);
  }

  @Property(tries = 2000)
  void aMaskOfAnotherLengthIsAMismatch(@ForAll("names") String first, @ForAll @IntRange(min = -3, max = 3) int delta) {
    Assume.that(delta != 0);
    String masked = maskName(first);
    Assume.that(masked.length() + delta >= 1);
    String resized = delta > 0 ? masked + "*".repeat(delta) : masked.substring(0, masked.length() + delta);
    var result = HesOwnership.check(Tckn.parse("10000000146"), PersonName.firstName(first), PersonName.lastName("Can"),
        new MaskedHolder("********146", resized, "CA*"));
    assertThat(result.mismatched()).containsExactly(Part.FIRST_NAME);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars(TURKISH_LETTERS).ofMinLength(1).ofMaxLength(20);
  }

  @Provide
  Arbitrary<Character> letters() {
    return Arbitraries.of(TURKISH_LETTERS.chars().mapToObj(c -> (char) c).toList());
  }
}
