package istanbul.hes.citizen.domain;

import istanbul.hes.identity.LookupKeys;

/**
 * A HES (Hayat Eve Sığar) code: 10 characters A-Z and 0-9. Accepted case-insensitively, either as
 * the 10 characters or in the printed form {@code XXXX-XXXX-XX}: between the groups of 4, 4 and 2
 * there may be one dash or one space (each gap on its own: {@code "A1B2 C3D4-E5"} is accepted).
 * Nothing else: leading or trailing spaces, other separators or grouping, and non-ASCII letters
 * and digits (Turkish {@code ı}/{@code İ}, full-width or Arabic-Indic digits) are invalid, never
 * normalized. Not stricter than that: the common letter-digit-letter shape is not required.
 *
 * <p>Held upper case without separators ({@link #value()}, the form {@link LookupKeys#hesCode}
 * produces). Personal data: {@link #toString()} and {@link #masked()} show the first four
 * characters only ({@code A1B2-****-**}).
 */
public final class HesCode {
  public static final String FIELD = "hesCode";
  public static final int LENGTH = 10;

  private final String value;

  private HesCode(String value) {
    this.value = value;
  }

  public static HesCode parse(String text) {
    return parse(text, FIELD);
  }

  public static HesCode parse(String text, String field) {
    if (text == null) {
      throw new InvalidInputException(ValidationCode.INVALID_HES_CODE, field, field + " is missing");
    }
    char[] code = new char[LENGTH];
    int n = 0;
    int length = text.length();
    for (int k = 0; k < length; k++) {
      char c = text.charAt(k);
      if ((c == '-' || c == ' ') && (n == 4 || n == 8) && k > 0 && Ascii.isLetterOrDigit(text.charAt(k - 1))
          && k + 1 < length) {
        continue;
      }
      if (!Ascii.isLetterOrDigit(c) || n == LENGTH) {
        throw invalid(field);
      }
      code[n++] = Ascii.toUpper(c);
    }
    if (n != LENGTH) {
      throw invalid(field);
    }
    return new HesCode(new String(code));
  }

  private static InvalidInputException invalid(String field) {
    return new InvalidInputException(ValidationCode.INVALID_HES_CODE, field,
        field + " must be 10 letters A-Z and digits 0-9, optionally as XXXX-XXXX-XX");
  }

  /** The 10 characters, upper case. Personal data: never log or return it. */
  public String value() {
    return value;
  }

  /** The string hashed for lookups under {@link LookupKeys#HES_CODE_PURPOSE}. */
  public String keyName() {
    return LookupKeys.hesCode(value);
  }

  /** The first four characters, the part that may be shown and stored in clear. */
  public String prefix() {
    return LookupKeys.hesCodePrefix(value);
  }

  /** {@code A1B2-C3D4-E5}. Personal data. */
  public String printed() {
    return value.substring(0, 4) + "-" + value.substring(4, 8) + "-" + value.substring(8);
  }

  /** {@code A1B2-****-**}: what responses show. */
  public String masked() {
    return prefix() + "-****-**";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HesCode code && code.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "HesCode[" + masked() + "]";
  }
}
