package istanbul.hes.identity;

import java.util.Locale;

/**
 * How personal values are normalized before they are hashed with {@link IdentityProtector#hash}:
 * the one definition in the code base. The demo population, the citizen API and every lookup of
 * the same values use it, or they would not find each other's rows.
 *
 * <ul>
 *   <li>identity, purpose {@value #IDENTITY_PURPOSE}: {@code "TCKN:" + 11 digits} for a Turkish
 *       identity number; {@code "PASSPORT:" + nationality (ISO 3166-1 alpha-3, upper case) + ":" +
 *       passport number (upper case, without spaces)} for a foreigner.
 *   <li>HES code, purpose {@value #HES_CODE_PURPOSE}: the 10 letters and digits, upper case,
 *       without the dashes and spaces of the printed form.
 * </ul>
 *
 * <p>These functions only normalize; they do not validate. Validate first (the citizen API's
 * domain types do), then normalize. Changing any of them orphans every stored hash.
 */
public final class LookupKeys {
  public static final String IDENTITY_PURPOSE = "identity";
  public static final String HES_CODE_PURPOSE = "hes-code";
  public static final String TCKN_PREFIX = "TCKN:";
  public static final String PASSPORT_PREFIX = "PASSPORT:";

  private LookupKeys() {}

  /** {@code "TCKN:<11 digits>"}; the digits are taken as given. */
  public static String tcknIdentity(String tckn) {
    return TCKN_PREFIX + tckn;
  }

  /** {@code "PASSPORT:<NAT>:<NUMBER>"}: both upper case (root locale), spaces removed from the number. */
  public static String passportIdentity(String nationality, String passportNumber) {
    return PASSPORT_PREFIX + nationality.toUpperCase(Locale.ROOT) + ":"
        + passportNumber.replace(" ", "").toUpperCase(Locale.ROOT);
  }

  /** The HES code without dashes and spaces, upper case (root locale). */
  public static String hesCode(String hesCode) {
    return hesCode.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
  }

  /** The part of a normalized HES code that may be shown: its first four characters. */
  public static String hesCodePrefix(String normalizedHesCode) {
    return normalizedHesCode.substring(0, 4);
  }
}
