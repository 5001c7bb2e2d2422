package istanbul.hes.citizen.domain;

import istanbul.hes.identity.LookupKeys;

/**
 * A Turkish identity number (T.C. Kimlik No): 11 ASCII digits, the first not 0, with the two
 * official check digits
 *
 * <pre>
 *   d10 = floorMod((d1 + d3 + d5 + d7 + d9) * 7 - (d2 + d4 + d6 + d8), 10)
 *   d11 = (d1 + d2 + ... + d10) mod 10
 * </pre>
 *
 * Parsed strictly: no spaces, signs or separators, and look-alike digits of other scripts
 * (full-width {@code ４}, Arabic-Indic {@code ٤}, ...) are invalid, never normalized. Foreign
 * residents' identity numbers (YKN, starting with 99) follow the same rule and are accepted.
 *
 * <p>Personal data: {@link #toString()} shows only the last three digits, as the Ministry of
 * Health does ({@code ********792}); {@link #value()} is for the few places that need the number
 * (the keyed hash, encryption at rest, ownership checks).
 */
public final class Tckn implements PersonIdentity {
  public static final String FIELD = "tckn";
  public static final int LENGTH = 11;
  /** Digits left visible by {@link #masked()}. */
  public static final int VISIBLE_DIGITS = 3;

  private final String value;

  private Tckn(String value) {
    this.value = value;
  }

  /** Parses a TCKN sent in field {@value #FIELD}. */
  public static Tckn parse(String text) {
    return parse(text, FIELD);
  }

  /** Parses a TCKN; an invalid one is {@link ValidationCode#INVALID_TCKN} naming {@code field}. */
  public static Tckn parse(String text, String field) {
    if (text == null) {
      throw new InvalidInputException(ValidationCode.INVALID_TCKN, field, field + " is missing");
    }
    if (!isValid(text)) {
      throw new InvalidInputException(ValidationCode.INVALID_TCKN, field,
          field + " must be 11 digits, the first not 0, with valid check digits");
    }
    return new Tckn(text);
  }

  /** Whether {@code text} is exactly a valid TCKN (no trimming, ASCII digits only). */
  public static boolean isValid(String text) {
    if (text == null || text.length() != LENGTH || text.charAt(0) == '0') {
      return false;
    }
    int[] d = new int[LENGTH];
    for (int k = 0; k < LENGTH; k++) {
      char c = text.charAt(k);
      if (!Ascii.isDigit(c)) {
        return false;
      }
      d[k] = c - '0';
    }
    return d[9] == tenthDigit(d) && d[10] == eleventhDigit(d);
  }

  /** The valid TCKN whose first nine digits are {@code firstNine} (100000000..999999999). */
  public static Tckn fromFirstNine(long firstNine) {
    if (firstNine < 100_000_000L || firstNine > 999_999_999L) {
      throw new IllegalArgumentException("nine digits without a leading zero expected");
    }
    int[] d = new int[LENGTH];
    long rest = firstNine;
    for (int k = 8; k >= 0; k--) {
      d[k] = (int) (rest % 10);
      rest /= 10;
    }
    d[9] = tenthDigit(d);
    d[10] = eleventhDigit(d);
    char[] digits = new char[LENGTH];
    for (int k = 0; k < LENGTH; k++) {
      digits[k] = (char) ('0' + d[k]);
    }
    return new Tckn(new String(digits));
  }

  private static int tenthDigit(int[] d) {
    return Math.floorMod((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7]), 10);
  }

  private static int eleventhDigit(int[] d) {
    int sum = 0;
    for (int k = 0; k < 10; k++) {
      sum += d[k];
    }
    return sum % 10;
  }

  /** The 11 digits. Personal data: never log or return it. */
  public String value() {
    return value;
  }

  @Override
  public String documentNumber() {
    return value;
  }

  @Override
  public String keyName() {
    return LookupKeys.tcknIdentity(value);
  }

  /** {@code ********792}: the last three digits only. */
  @Override
  public String masked() {
    return Ascii.maskAllButLast(value, VISIBLE_DIGITS);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tckn tckn && tckn.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "Tckn[" + masked() + "]";
  }
}
