package istanbul.hes.citizen.domain;

/**
 * A mobile phone number that can receive the challenge SMS, held in E.164 ({@code +905321234567}).
 *
 * <p>Input: ASCII digits, with spaces, hyphens and parentheses between them ignored, and a
 * leading {@code +} or {@code 00} for the international form. Then:
 *
 * <ul>
 *   <li>Turkish mobiles (national number 5 followed by 9 digits): {@code 5321234567},
 *       {@code 05321234567}, {@code 905321234567}, {@code +905321234567}, {@code 00905321234567},
 *       spaced or not ({@code 0532 123 45 67}, {@code +90 532 123 4567}, {@code (0532) 123-45-67})
 *       all become {@code +905321234567}. A Turkish number that is not a mobile (a landline,
 *       {@code +90212...}) or has the wrong length is invalid: it cannot receive the SMS.
 *   <li>Foreign numbers only in the international form: {@code +}, a country code not starting
 *       with 0, 8 to 15 digits in all (E.164's limit).
 * </ul>
 *
 * Look-alike digits, letters, a {@code +} anywhere but first, and separators at the start or end
 * are invalid. Personal data: {@link #toString()} shows the last two digits only.
 */
public final class PhoneNumber {
  public static final String FIELD = "phone";
  public static final int MIN_DIGITS = 8;
  public static final int MAX_DIGITS = 15;

  private final String value;

  private PhoneNumber(String value) {
    this.value = value;
  }

  public static PhoneNumber parse(String text) {
    return parse(text, FIELD);
  }

  public static PhoneNumber parse(String text, String field) {
    if (text == null) {
      throw new InvalidInputException(ValidationCode.INVALID_PHONE, field, field + " is missing");
    }
    boolean plus = text.startsWith("+");
    StringBuilder digits = new StringBuilder(16);
    int length = text.length();
    int start = plus ? 1 : 0;
    for (int k = start; k < length; k++) {
      char c = text.charAt(k);
      if (Ascii.isDigit(c)) {
        if (digits.length() == MAX_DIGITS + 2) {
          throw invalid(field);
        }
        digits.append(c);
      } else if (c == ' ' || c == '-' || c == '(' || c == ')') {
        if (k == length - 1 || k == start && c != '(') {
          throw invalid(field);
        }
      } else {
        throw invalid(field);
      }
    }
    String international;
    if (plus) {
      international = digits.toString();
    } else if (digits.length() > 2 && digits.charAt(0) == '0' && digits.charAt(1) == '0') {
      international = digits.substring(2);
    } else if (digits.length() == 11 && digits.charAt(0) == '0') {
      international = "90" + digits.substring(1);
    } else if (digits.length() == 10) {
      international = "90" + digits;
    } else if (digits.length() == 12 && digits.charAt(0) == '9' && digits.charAt(1) == '0') {
      international = digits.toString();
    } else {
      throw invalid(field);
    }
    if (international.startsWith("90")) {
      if (international.length() != 12 || international.charAt(2) != '5') {
        throw new InvalidInputException(ValidationCode.INVALID_PHONE, field,
            field + " must be a Turkish mobile number (5xx xxx xx xx) or a foreign number in international form");
      }
    } else if (international.length() < MIN_DIGITS || international.length() > MAX_DIGITS
        || international.charAt(0) == '0') {
      throw invalid(field);
    }
    return new PhoneNumber("+" + international);
  }

  private static InvalidInputException invalid(String field) {
    return new InvalidInputException(ValidationCode.INVALID_PHONE, field,
        field + " must be a Turkish mobile number or an international number +<country code><number> of "
            + MIN_DIGITS + " to " + MAX_DIGITS + " digits");
  }

  /** E.164: {@code +} and 8 to 15 digits. Personal data: never log it. */
  public String value() {
    return value;
  }

  public boolean isTurkishMobile() {
    return value.startsWith("+905");
  }

  /** {@code +**********67}. */
  public String masked() {
    return "+" + "*".repeat(value.length() - 3) + value.substring(value.length() - 2);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PhoneNumber phone && phone.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "PhoneNumber[" + masked() + "]";
  }
}
