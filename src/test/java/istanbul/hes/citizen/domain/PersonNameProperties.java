package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PersonNameProperties {
  @Property(tries = 2000)
  void acceptedNamesAreNormalizedAndIdempotent(@ForAll("nameLike") String text) {
    PersonName name;
    try {
      name = PersonName.firstName(text);
    } catch (InvalidInputException e) {
      assertThat(e.code()).isEqualTo(ValidationCode.INVALID_NAME);
      return;
    }
    String value = name.value();
    assertThat(Normalizer.isNormalized(value, Normalizer.Form.NFC)).isTrue();
    assertThat(value).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
    assertThat(name.length()).isBetween(1, PersonName.MAX_LENGTH);
    assertThat(Character.isLetter(value.codePointAt(0))).isTrue();
    assertThat(PersonName.firstName(value)).isEqualTo(name);
  }

  @Property(tries = 2000)
  void wordsOfTurkishLettersJoinedBySeparatorsAreAccepted(
      @ForAll("words") String first, @ForAll("joiners") String joiner, @ForAll("words") String second) {
    String text = first + joiner + second;
    assertThat(PersonName.lastName(text).value()).isEqualTo(text);
  }

  @Provide
  Arbitrary<String> nameLike() {
    return Arbitraries.strings()
        .withChars("abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ")
        .withChars(' ', ' ', '-', '\'', '’', '\u0301', '\u0307', '1', '\t', '.')
        .ofMinLength(0).ofMaxLength(60);
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().withChars("abcçdefgğhıijklmnoöprsştuüvyzÇĞİÖŞÜ").ofMinLength(1).ofMaxLength(20);
  }

  @Provide
  Arbitrary<String> joiners() {
    return Arbitraries.of(" ", "-", "'");
  }
}
