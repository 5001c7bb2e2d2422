package istanbul.hes.demo;

import java.util.Locale;

/**
 * How personal values are normalized before they are hashed with
 * {@link istanbul.hes.identity.IdentityProtector#hash}: the one definition the demo population
 * follows, and the one every lookup of the same values must follow, or it will not find them.
 *
 * <ul>
 *   <li>identity, purpose {@value #IDENTITY_PURPOSE}: {@code "TCKN:" + 11 digits} for a Turkish
 *       identity number; {@code "PASSPORT:" + nationality (ISO 3166-1 alpha-3, upper case) + ":" +
 *       passport number (upper case, without spaces)} for a foreigner.
 *   <li>HES code, purpose {@value #HES_CODE_PURPOSE}: the 10 letters and digits, upper case,
 *       without the dashes and spaces of the printed form.
 * </ul>
 */
public final class ProtectedValues {
  public static final String IDENTITY_PURPOSE = "identity";
  public static final String HES_CODE_PURPOSE = "hes-code";

  private ProtectedValues() {}

  public static String tcknIdentity(String tckn) {
    return "TCKN:" + tckn;
  }

  public static String passportIdentity(String nationality, String passportNumber) {
    return "PASSPORT:" + nationality.toUpperCase(Locale.ROOT) + ":"
        + passportNumber.replace(" ", "").toUpperCase(Locale.ROOT);
  }

  public static String hesCode(String hesCode) {
    return hesCode.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
  }

  /** The part of a HES code that may be shown: its first four characters. */
  public static String hesCodePrefix(String normalizedHesCode) {
    return normalizedHesCode.substring(0, 4);
  }
}
