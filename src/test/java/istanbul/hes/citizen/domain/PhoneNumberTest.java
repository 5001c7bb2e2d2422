package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumberTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "0532 123 45 67",
      "+90 532 123 4567",
      "5321234567",
      "05321234567",
      "905321234567",
      "+905321234567",
      "00905321234567",
      "0090 532 123 45 67",
      "(0532) 123 45 67",
      "(0532) 123-45-67",
      "0532-123-45-67",
      "+90 (532) 123 45 67",
      "532 123 45 67",
  })
  void turkishMobileFormsNormalizeToE164(String text) {
    PhoneNumber phone = PhoneNumber.parse(text);
    assertThat(phone.value()).isEqualTo("+905321234567");
    assertThat(phone.isTurkishMobile()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "+49 30 1234567, +49301234567",
      "+4930123456789, +4930123456789",
      "0049 30 1234567, +49301234567",
      "+1 (212) 555-0100, +12125550100",
      "+44 7700 900123, +447700900123",
      "+963 944 123 456, +963944123456",
      "+12345678, +12345678",
      "+123456789012345, +123456789012345",
  })
  void foreignNumbersInInternationalFormAreAccepted(String text, String expected) {
    PhoneNumber phone = PhoneNumber.parse(text);
    assertThat(phone.value()).isEqualTo(expected);
    assertThat(phone.isTurkishMobile()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "+",
      "532123456",            // 9 digits
      "53212345678",          // 11 digits without the trunk 0
      "0532123456",           // 0 + 9 digits
      "053212345678",         // 0 + 11 digits
      "+90532123456",         // +90 with 9 digits
      "+9053212345678",       // +90 with 11 digits
      "02121234567",          // Istanbul landline: no SMS
      "+902121234567",
      "2121234567",
      "+1234567",             // 7 digits
      "+1234567890123456",    // 16 digits
      "+0123456789",          // country code cannot start with 0
      "+00905321234567",
      "4930 1234567",         // foreign number without + or 00
      "+90 532 123 45 67 ",   // trailing space
      " 05321234567",         // leading space
      "+ 905321234567",
      "05321234567-",
      "-05321234567",
      "0532.123.45.67",
      "0532/1234567",
      "0532 123 45 6７",       // full-width digit
      "٠٥٣٢١٢٣٤٥٦٧",          // Arabic-Indic digits
      "0532 ABC 45 67",
      "++905321234567",
      "90+5321234567",
      "tel:+905321234567",
      "+905321234567\n",
      "0532\t1234567",
  })
  void otherFormsAreInvalid(String text) {
    assertThatThrownBy(() -> PhoneNumber.parse(text))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_PHONE);
          assertThat(e.field()).isEqualTo("phone");
          assertThat(e.detail()).startsWith("phone ");
          if (text.strip().length() >= 5) {
            assertThat(e.detail()).doesNotContain(text.strip());
          }
        });
  }

  @Test
  void nullIsMissing() {
    assertThatThrownBy(() -> PhoneNumber.parse(null, "mobile"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.detail()).isEqualTo("mobile is missing"));
  }

  @Test
  void toStringShowsTheLastTwoDigitsOnly() {
    PhoneNumber phone = PhoneNumber.parse("0532 123 45 67");
    assertThat(phone.masked()).isEqualTo("+**********67");
    assertThat(phone.toString()).isEqualTo("PhoneNumber[+**********67]").doesNotContain("532");
  }
}
