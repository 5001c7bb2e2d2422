package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PassportIdentityTest {
  @ParameterizedTest
  @CsvSource({
      "U12345678, DEU, U12345678, DEU",
      "u12345678, deu, U12345678, DEU",
      "'C01X 00T4 7', GBR, C01X00T47, GBR",
      "12345, Syr, 12345, SYR",
      "ABCDEFGHIJKLMNOPQRST, USA, ABCDEFGHIJKLMNOPQRST, USA",
  })
  void validPassportsParseAndNormalize(String number, String nationality, String expectedNumber, String expectedNationality) {
    PassportIdentity passport = PassportIdentity.parse(number, nationality);
    assertThat(passport.number()).isEqualTo(expectedNumber);
    assertThat(passport.documentNumber()).isEqualTo(expectedNumber);
    assertThat(passport.nationality().code()).isEqualTo(expectedNationality);
    assertThat(passport.keyName()).isEqualTo("PASSPORT:" + expectedNationality + ":" + expectedNumber);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "1234",                  // too short
      "12 34",                 // too short once spaces are dropped
      "ABCDEFGHIJKLMNOPQRSTU", // 21
      "U1234-5678",            // dash
      "U1234_5678",
      "U1234/5678",
      "U12345678\t",
      "U1234567８",             // full-width digit
      "Ü12345678",             // non-ASCII letter
      "ı12345678",             // Turkish dotless i (upper-cases to ASCII I under ROOT: must not slip through)
      "İ12345678",             // Turkish dotted capital I
      "ſ12345678",             // long s (upper-cases to ASCII S)
      "U1234567٨",             // Arabic-Indic digit
  })
  void invalidPassportNumbersAreRejected(String number) {
    assertThatThrownBy(() -> PassportIdentity.parse(number, "DEU"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_PASSPORT);
          assertThat(e.field()).isEqualTo("passportNumber");
          assertThat(e.detail()).startsWith("passportNumber ");
          if (number.length() >= 5) {
            assertThat(e.detail()).doesNotContain(number);
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "DE", "DEUT", "XXX", "ZZZ", "D", "D<<", "DE1", "DEU ", " DEU", "ＤＥＵ", "DEÜ", "tür"})
  void invalidNationalitiesAreRejected(String nationality) {
    assertThatThrownBy(() -> PassportIdentity.parse("U12345678", nationality))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_NATIONALITY);
          assertThat(e.field()).isEqualTo("nationality");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"TUR", "tur", "Tur"})
  void aTurkishPassportIsRejectedWithItsReason(String nationality) {
    assertThatThrownBy(() -> PassportIdentity.parse("U12345678", nationality))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_NATIONALITY);
          assertThat(e.detail()).contains("TCKN");
        });
    // The nationality itself is a real code; only its use with a passport is refused.
    assertThat(Nationality.parse(nationality).isTurkey()).isTrue();
  }

  @Test
  void everyAssignedAlpha3CodeButTurkeyIsAccepted() {
    for (String code : Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3)) {
      assertThat(Nationality.parse(code.toLowerCase(Locale.ROOT)).code()).isEqualTo(code);
      assertThat(Nationality.isAssigned(code)).isTrue();
      if (!code.equals("TUR")) {
        assertThat(PassportIdentity.parse("AB12345", code).nationality().code()).isEqualTo(code);
      }
    }
    assertThat(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3)).hasSizeGreaterThan(240);
  }

  @Test
  void missingFieldsAreNamed() {
    assertThatThrownBy(() -> PassportIdentity.parse(null, "DEU"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.detail()).isEqualTo("passportNumber is missing"));
    assertThatThrownBy(() -> PassportIdentity.parse("U12345678", null))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.detail()).isEqualTo("nationality is missing"));
  }

  @Test
  void toStringShowsTheNationalityAndTheLastThreeCharactersOnly() {
    PassportIdentity passport = PassportIdentity.parse("U12345678", "DEU");
    assertThat(passport.masked()).isEqualTo("******678");
    assertThat(passport.toString()).isEqualTo("PassportIdentity[DEU, ******678]").doesNotContain("U123");
  }

  @Test
  void equalityIsByNormalizedValue() {
    assertThat(PassportIdentity.parse("u1234 5678", "deu")).isEqualTo(PassportIdentity.parse("U12345678", "DEU"))
        .hasSameHashCodeAs(PassportIdentity.parse("U12345678", "DEU"))
        .isNotEqualTo(PassportIdentity.parse("U12345678", "AUT"));
  }
}
