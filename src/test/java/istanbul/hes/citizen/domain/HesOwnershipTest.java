package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.citizen.domain.HesOwnership.Part;
import istanbul.hes.citizen.domain.HesOwnership.Result;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HesOwnershipTest {
  private static final Tckn TCKN = Tckn.parse("12345678950");

  private static Result check(PersonIdentity identity, String first, String last, String maskedIdentity,
      String maskedFirst, String maskedLast) {
    return HesOwnership.check(identity, PersonName.firstName(first), PersonName.lastName(last),
        new MaskedHolder(maskedIdentity, maskedFirst, maskedLast));
  }

  @Test
  void theMinistrysExampleMatchesItsOwner() {
    Result result = check(Tckn.parse("10000000146"), "Deniz", "Yılmaz", "********146", "DE***", "YI****");
    assertThat(result.owned()).isTrue();
    assertThat(result.mismatched()).isEmpty();
    assertThat(result).isSameAs(Result.OWNED);
  }

  /** Each row: caller's first and last name, the ministry's masks, the parts expected to mismatch. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Turkish casing: ı ↔ I, i ↔ İ
      "Deniz|Yılmaz|DE***|YI****|",
      "deniz|yılmaz|DE***|YI****|",
      "DENİZ|YILMAZ|DE***|YI****|",
      "Deniz|Yilmaz|DE***|YI****|LAST_NAME",          // dotted i is İ, not I
      "Deniz|YİLMAZ|DE***|YI****|LAST_NAME",
      "İsmail|Kılıç|İS****|KI***|",
      "ismail|kılıç|İS****|KI***|",
      "Ismail|Kılıç|İS****|KI***|FIRST_NAME",          // capital I is dotless: ı, not i
      "ısmail|Kilic|İS****|KI***|FIRST_NAME,LAST_NAME",
      "Ömer|Çelik|ÖM**|ÇE***|",
      "ömer|çelik|öm**|çe***|",                        // the mask's visible letters in lower case
      "Omer|Celik|ÖM**|ÇE***|FIRST_NAME,LAST_NAME",    // no folding of diacritics
      "Şerife|Öztürk|ŞE****|ÖZ****|",
      "Serife|Ozturk|ŞE****|ÖZ****|FIRST_NAME,LAST_NAME",
      // lengths must match
      "Deniz|Yılmaz|DE****|YI****|FIRST_NAME",
      "Deniz|Yılmaz|DE**|YI****|FIRST_NAME",
      "Deniz|Yılmaz|DE***|YI*****|LAST_NAME",
      "Ayşe Nur|Kaya|AY******|KA**|",                  // the space counts towards the length
      "Ayşe|Kaya|AY******|KA**|FIRST_NAME",
      "Ali|Can|AL*|CA*|",
      "Al|Ca|AL|CA|",                                  // nothing to hide
      "A|C|A|C|",
      // visible letters must match
      "Deniz|Yılmaz|DA***|YI****|FIRST_NAME",
      "Deniz|Yılmaz|ED***|IY****|FIRST_NAME,LAST_NAME",
      "Deniz|Yılmaz|D****|Y*****|",                    // fewer visible letters still agree
      "Deniz|Yılmaz|*E***|*I****|",
      // fully masked or empty parts prove nothing
      "Deniz|Yılmaz|*****|YI****|FIRST_NAME",
      "Deniz|Yılmaz|''|YI****|FIRST_NAME",
  })
  void namesMatrix(String first, String last, String maskedFirst, String maskedLast, String mismatched) {
    Result result = check(TCKN, first, last, "********950", maskedFirst, maskedLast);
    assertThat(result.mismatched()).isEqualTo(parts(mismatched));
    assertThat(result.owned()).isEqualTo(mismatched == null);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "********950|",
      "*********50|",
      "12*******50|",
      "12345678950|",
      "********951|IDENTITY_NUMBER",
      "********059|IDENTITY_NUMBER",
      "*******950|IDENTITY_NUMBER",      // 10 characters
      "*********950|IDENTITY_NUMBER",    // 12 characters
      "***********|IDENTITY_NUMBER",     // nothing visible
      "''|IDENTITY_NUMBER",
      "********９５０|IDENTITY_NUMBER",     // full-width look-alikes
      "XXXXXXXX950|IDENTITY_NUMBER",     // another masking character is not a mask
  })
  void identityNumberMatrix(String maskedIdentity, String mismatched) {
    Result result = check(TCKN, "Deniz", "Yılmaz", maskedIdentity, "DE***", "YI****");
    assertThat(result.mismatched()).isEqualTo(parts(mismatched));
  }

  @Test
  void missingPartsAreMismatches() {
    Result result = HesOwnership.check(TCKN, PersonName.firstName("Deniz"), PersonName.lastName("Yılmaz"),
        new MaskedHolder(null, null, null));
    assertThat(result.mismatched()).containsExactly(Part.IDENTITY_NUMBER, Part.FIRST_NAME, Part.LAST_NAME);
    assertThat(result.owned()).isFalse();
  }

  @Test
  void aPassportNumberIsMaskedLikeATckn() {
    PassportIdentity passport = PassportIdentity.parse("U12345678", "DEU");
    assertThat(check(passport, "Anna", "Müller", "******678", "AN**", "MÜ****").owned()).isTrue();
    assertThat(check(passport, "Anna", "Müller", "*****5678", "AN**", "MÜ****").owned()).isTrue();
    assertThat(check(passport, "Anna", "Müller", "*****678", "AN**", "MÜ****").mismatched())
        .containsExactly(Part.IDENTITY_NUMBER);
    assertThat(check(passport, "Anna", "Müller", "********678", "AN**", "MÜ****").mismatched())
        .containsExactly(Part.IDENTITY_NUMBER);
    // Letters of a passport number compare case-insensitively (ASCII).
    PassportIdentity lettered = PassportIdentity.parse("C01X00T47", "GBR");
    assertThat(check(lettered, "John", "Smith", "******t47", "JO**", "SM***").owned()).isTrue();
    assertThat(check(lettered, "John", "Smith", "******T47", "JO**", "SM***").owned()).isTrue();
  }

  @Test
  void decomposedMasksAreComposedBeforeComparing() {
    assertThat(check(TCKN, "Ömer", "Şahin", "********950", "O\u0308M**", "S\u0327A***").owned()).isTrue();
  }

  @Test
  void theDetailNamesThePartsAndNoValue() {
    Result all = check(TCKN, "Deniz", "Yılmaz", "********123", "AB***", "CD****");
    assertThat(all.detail()).isEqualTo("the HES code's holder does not match the caller's identity number, first name and last name");
    Result one = check(TCKN, "Deniz", "Yılmaz", "********950", "DE***", "CD****");
    assertThat(one.detail()).isEqualTo("the HES code's holder does not match the caller's last name");
    Result two = check(TCKN, "Deniz", "Yılmaz", "********123", "DE***", "CD****");
    assertThat(two.detail()).isEqualTo("the HES code's holder does not match the caller's identity number and last name");
    for (Result result : new Result[] {all, one, two}) {
      assertThat(result.detail()).doesNotContain("950", "123", "Deniz", "DE", "Yılmaz", "CD");
    }
    assertThat(Result.OWNED.detail()).isEqualTo("the HES code belongs to the caller");
  }

  @Test
  void theResultIsImmutable() {
    Result result = new Result(EnumSet.of(Part.FIRST_NAME));
    assertThatThrownBy(() -> result.mismatched().add(Part.LAST_NAME)).isInstanceOf(UnsupportedOperationException.class);
  }

  private static Set<Part> parts(String names) {
    EnumSet<Part> parts = EnumSet.noneOf(Part.class);
    if (names != null) {
      for (String name : names.split(",")) {
        parts.add(Part.valueOf(name.strip()));
      }
    }
    return parts;
  }
}
