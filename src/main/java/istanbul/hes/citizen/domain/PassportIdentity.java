package istanbul.hes.citizen.domain;

import istanbul.hes.identity.LookupKeys;

/**
 * A foreigner's identity: passport number plus nationality.
 *
 * <p>The number: ASCII letters and digits, 5 to 20 of them, upper-cased; spaces (U+0020) anywhere
 * are dropped first, as the printed form may group characters (and as the keyed hash has always
 * dropped them, see {@link LookupKeys#passportIdentity}). Anything else (dashes, look-alike
 * letters or digits, Turkish {@code ı}/{@code İ}) is invalid.
 *
 * <p>The nationality: see {@link Nationality}. {@code TUR} is rejected
 * ({@link ValidationCode#INVALID_NATIONALITY}): Turkish citizens personalize with their TCKN.
 * The Ministry of Health's risk feed names Turkish citizens by TCKN, so a Turkish passport
 * identity would be a second identity for the same person that no risk delta ever reaches: a
 * risky citizen could ride. Dual citizens hold a TCKN too, and foreign residents hold a
 * TCKN-shaped foreigner number (YKN) that {@link Tckn} accepts.
 *
 * <p>Personal data: {@link #toString()} shows the nationality and the last three characters of the
 * number only.
 */
public final class PassportIdentity implements PersonIdentity {
  public static final String NUMBER_FIELD = "passportNumber";
  public static final int MIN_LENGTH = 5;
  public static final int MAX_LENGTH = 20;
  /** Characters left visible by {@link #masked()}, as for a TCKN. */
  public static final int VISIBLE_CHARACTERS = 3;

  private final Nationality nationality;
  private final String number;

  private PassportIdentity(Nationality nationality, String number) {
    this.nationality = nationality;
    this.number = number;
  }

  /** Parses fields {@value #NUMBER_FIELD} and {@value Nationality#FIELD}. */
  public static PassportIdentity parse(String passportNumber, String nationality) {
    return parse(passportNumber, NUMBER_FIELD, nationality, Nationality.FIELD);
  }

  public static PassportIdentity parse(String passportNumber, String numberField, String nationality, String nationalityField) {
    String number = parseNumber(passportNumber, numberField);
    Nationality parsed = Nationality.parse(nationality, nationalityField);
    if (parsed.isTurkey()) {
      throw new InvalidInputException(ValidationCode.INVALID_NATIONALITY, nationalityField,
          nationalityField + " TUR is not accepted with a passport: Turkish citizens identify with their TCKN");
    }
    return new PassportIdentity(parsed, number);
  }

  /** The normalized passport number (upper case, no spaces), or INVALID_PASSPORT naming {@code field}. */
  public static String parseNumber(String text, String field) {
    if (text == null) {
      throw new InvalidInputException(ValidationCode.INVALID_PASSPORT, field, field + " is missing");
    }
    StringBuilder number = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 1));
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c == ' ') {
        continue;
      }
      if (!Ascii.isLetterOrDigit(c) || number.length() == MAX_LENGTH) {
        throw invalidNumber(field);
      }
      number.append(Ascii.toUpper(c));
    }
    if (number.length() < MIN_LENGTH) {
      throw invalidNumber(field);
    }
    return number.toString();
  }

  private static InvalidInputException invalidNumber(String field) {
    return new InvalidInputException(ValidationCode.INVALID_PASSPORT, field,
        field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " letters A-Z and digits 0-9");
  }

  public Nationality nationality() {
    return nationality;
  }

  /** The normalized passport number. Personal data: never log or return it. */
  public String number() {
    return number;
  }

  @Override
  public String documentNumber() {
    return number;
  }

  @Override
  public String keyName() {
    return LookupKeys.passportIdentity(nationality.code(), number);
  }

  /** {@code ******678}: the last three characters of the number only. */
  @Override
  public String masked() {
    return Ascii.maskAllButLast(number, VISIBLE_CHARACTERS);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PassportIdentity passport
        && passport.nationality.equals(nationality) && passport.number.equals(number);
  }

  @Override
  public int hashCode() {
    return 31 * nationality.hashCode() + number.hashCode();
  }

  @Override
  public String toString() {
    return "PassportIdentity[" + nationality.code() + ", " + masked() + "]";
  }
}
