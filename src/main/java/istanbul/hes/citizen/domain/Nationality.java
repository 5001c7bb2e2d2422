package istanbul.hes.citizen.domain;

import java.util.Locale;
import java.util.Set;

/**
 * An ISO 3166-1 alpha-3 country code, upper case, from the JDK's list of assigned codes
 * ({@link Locale#getISOCountries(Locale.IsoCountryCode)} with {@code PART1_ALPHA3}). Three ASCII
 * letters, case-insensitive; anything else (look-alike letters, spaces, alpha-2 codes, codes
 * that are not assigned such as {@code XXX} or the passport-only {@code D}) is invalid.
 */
public final class Nationality {
  public static final String FIELD = "nationality";
  public static final String TURKEY = "TUR";
  private static final Set<String> CODES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);

  private final String code;

  private Nationality(String code) {
    this.code = code;
  }

  public static Nationality parse(String text) {
    return parse(text, FIELD);
  }

  public static Nationality parse(String text, String field) {
    if (text == null) {
      throw new InvalidInputException(ValidationCode.INVALID_NATIONALITY, field, field + " is missing");
    }
    if (text.length() != 3 || !Ascii.isLetter(text.charAt(0)) || !Ascii.isLetter(text.charAt(1))
        || !Ascii.isLetter(text.charAt(2))) {
      throw new InvalidInputException(ValidationCode.INVALID_NATIONALITY, field,
          field + " must be an ISO 3166-1 alpha-3 country code");
    }
    String upper = new String(new char[] {
        Ascii.toUpper(text.charAt(0)), Ascii.toUpper(text.charAt(1)), Ascii.toUpper(text.charAt(2))});
    if (!CODES.contains(upper)) {
      throw new InvalidInputException(ValidationCode.INVALID_NATIONALITY, field,
          field + " must be an assigned ISO 3166-1 alpha-3 country code");
    }
    return new Nationality(upper);
  }

  /** Whether {@code code} (upper case) is an assigned alpha-3 code. */
  public static boolean isAssigned(String code) {
    return code != null && CODES.contains(code);
  }

  /** The three upper-case letters. */
  public String code() {
    return code;
  }

  public boolean isTurkey() {
    return TURKEY.equals(code);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Nationality nationality && nationality.code.equals(code);
  }

  @Override
  public int hashCode() {
    return code.hashCode();
  }

  @Override
  public String toString() {
    return code;
  }
}
