package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PersonNameTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "Ayşe", "Çağlar", "Gülşen", "İbrahim", "Ömer", "Şerife", "Yılmaz", "Öztürk", "Doğan", "Kılıç",
      "ÇĞIİÖŞÜçğıiöşü", "Müller", "O'Brien", "Ali-Rıza", "Ayşe Nur", "Ana María", "Jean-Luc", "Zoë",
      "Łukasz", "Дмитрий", "Οδυσσέας", "محمد", "李", "A",
  })
  void lettersOfAnyScriptAreAccepted(String text) {
    assertThat(PersonName.firstName(text).value()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'  Ayşe   Nur  '|Ayşe Nur",
      "' Yılmaz'|Yılmaz",
      "O’Brien|O'Brien",
      "D’Artagnan-Ünal|D'Artagnan-Ünal",
  })
  void spacesAreTrimmedAndCollapsedAndTheTypographicApostropheIsStraightened(String text, String expected) {
    assertThat(PersonName.lastName(text).value()).isEqualTo(expected);
  }

  @Test
  void decomposedInputIsComposed() {
    String decomposed = "S\u0327ahin O\u0308zkan"; // Ş and Ö as base letter + combining mark
    PersonName name = PersonName.lastName(decomposed);
    assertThat(name.value()).isEqualTo("Şahin Özkan");
    assertThat(name.length()).isEqualTo(11);
  }

  @Test
  void aCombiningMarkWithoutAPrecomposedFormIsKept() {
    // i + combining dot above has no precomposed form: NFC keeps the mark, which follows a letter.
    assertThat(PersonName.firstName("Ai\u0307da").value()).isEqualTo("Ai\u0307da");
  }

  @Test
  void fiftyCodePointsAreTheLimit() {
    String fifty = "Ş".repeat(50);
    assertThat(PersonName.firstName(fifty).length()).isEqualTo(50);
    assertThat(PersonName.firstName("  " + fifty + "  ").value()).isEqualTo(fifty);
    assertThat(PersonName.firstName("𝒜".repeat(50)).length()).isEqualTo(50); // supplementary letters count once
    assertThatThrownBy(() -> PersonName.firstName(fifty + "a")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> PersonName.firstName("Ş".repeat(25) + " " + "Ş".repeat(25))).isInstanceOf(InvalidInputException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "   ",
      "Ali2", "4li", "Ali_Veli", "Ali.", "Ali,Veli", "Ali!", "@li", "Ali\u0000", "Ali\tVeli", "Ali\nVeli",
      "Ali\u00A0Veli",  // no-break space
      "Ali\u200BVeli",  // zero-width space
      "Ali\u200DVeli",  // zero-width joiner
      "Ali\u202EVeli",  // right-to-left override
      "-Ali", "Ali-", "'Ali", "Ali'", "Ali--Veli", "Ali- Veli", "Ali -Veli", "Ali '-Veli", "Ali-'Veli",
      "\u0301Ali", "Ali \u0301Veli", "Ali-\u0301Veli",
      "Ali😀", "Ali٣", "Ali３", "Ali$", "<script>",
  })
  void otherCharactersAreInvalid(String text) {
    assertThatThrownBy(() -> PersonName.lastName(text))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_NAME);
          assertThat(e.field()).isEqualTo("lastName");
          assertThat(e.detail()).startsWith("lastName ");
          if (text.strip().length() >= 4) {
            assertThat(e.detail()).doesNotContain(text.strip());
          }
        });
  }

  @Test
  void theFieldIsNamed() {
    assertThatThrownBy(() -> PersonName.firstName(null))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("firstName");
          assertThat(e.detail()).isEqualTo("firstName is missing");
        });
    assertThatThrownBy(() -> PersonName.parse("1", "holderName"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("holderName"));
  }

  @Test
  void toStringShowsTheFirstLetterOnly() {
    PersonName name = PersonName.firstName("Şerife");
    assertThat(name.masked()).isEqualTo("Ş***");
    assertThat(name.toString()).isEqualTo("PersonName[Ş***]").doesNotContain("erife");
    assertThat(PersonName.firstName("𝒜bc").masked()).isEqualTo("𝒜***");
  }

  @Test
  void equalityIsByNormalizedValue() {
    assertThat(PersonName.firstName(" Ayşe  Nur")).isEqualTo(PersonName.lastName("Ayşe Nur"))
        .hasSameHashCodeAs(PersonName.firstName("Ayşe Nur"))
        .isNotEqualTo(PersonName.firstName("ayşe nur"));
  }
}
