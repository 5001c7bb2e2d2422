package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PersonIdentityTest {
  @Test
  void keyNamesAreTheLookupForms() {
    PersonIdentity tckn = Tckn.parse("10000000146");
    PersonIdentity passport = PassportIdentity.parse("c01x 00t47", "gbr");
    assertThat(tckn.keyName()).isEqualTo("TCKN:10000000146");
    assertThat(passport.keyName()).isEqualTo("PASSPORT:GBR:C01X00T47");
  }

  @Test
  void theKeyNameParsesBackToTheSameIdentity() {
    PersonIdentity tckn = Tckn.parse("10000000146");
    PersonIdentity passport = PassportIdentity.parse("C01X00T47", "GBR");
    assertThat(PersonIdentity.fromKeyName(tckn.keyName(), "sub")).isEqualTo(tckn);
    assertThat(PersonIdentity.fromKeyName(passport.keyName(), "sub")).isEqualTo(passport);
  }

  @Test
  void theSealedHierarchyHasTheTwoKinds() {
    PersonIdentity identity = PersonIdentity.fromKeyName("PASSPORT:SYR:N0123456", "sub");
    assertThat(identity).isInstanceOfSatisfying(PassportIdentity.class,
        passport -> assertThat(passport.nationality().code()).isEqualTo("SYR"));
    assertThat(PersonIdentity.class.getPermittedSubclasses()).containsExactlyInAnyOrder(Tckn.class, PassportIdentity.class);
  }

  @ParameterizedTest
  @CsvSource({
      "'', INVALID_TCKN",
      "10000000146, INVALID_TCKN",
      "TCKN:, INVALID_TCKN",
      "TCKN:10000000145, INVALID_TCKN",
      "TCKN: 10000000146, INVALID_TCKN",
      "tckn:10000000146, INVALID_TCKN",
      "PASSPORT:GBR, INVALID_PASSPORT",
      "PASSPORT:GBR:c01x00t47, INVALID_PASSPORT",
      "PASSPORT:GBR:C01X 00T47, INVALID_PASSPORT",
      "PASSPORT:GBR:C-1, INVALID_PASSPORT",
      "PASSPORT:gbr:C01X00T47, INVALID_PASSPORT",
      "PASSPORT:XXX:C01X00T47, INVALID_NATIONALITY",
      "PASSPORT:TUR:C01X00T47, INVALID_NATIONALITY",
      "PASSPORT::C01X00T47, INVALID_NATIONALITY",
      "IDENTITY:10000000146, INVALID_TCKN",
  })
  void nonCanonicalKeyNamesAreRejected(String keyName, ValidationCode code) {
    assertThatThrownBy(() -> PersonIdentity.fromKeyName(keyName, "sub"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.field()).isEqualTo("sub");
        });
  }

  @Test
  void nullKeyNameIsRejected() {
    assertThatThrownBy(() -> PersonIdentity.fromKeyName(null, "sub")).isInstanceOf(InvalidInputException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TCKN:10000000146", "PASSPORT:DEU:U12345678"})
  void toStringNeverShowsTheNumber(String keyName) {
    PersonIdentity identity = PersonIdentity.fromKeyName(keyName, "sub");
    assertThat(identity.toString()).doesNotContain(identity.documentNumber()).doesNotContain(identity.documentNumber().substring(0, 5));
  }
}
