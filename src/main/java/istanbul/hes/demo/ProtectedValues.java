package istanbul.hes.demo;

import istanbul.hes.identity.LookupKeys;

/**
 * The demo's names for the normalization of personal values before they are hashed with
 * {@link istanbul.hes.identity.IdentityProtector#hash}. The definition itself lives in
 * {@link LookupKeys}, the one place every lookup of the same values also uses.
 */
public final class ProtectedValues {
  public static final String IDENTITY_PURPOSE = LookupKeys.IDENTITY_PURPOSE;
  public static final String HES_CODE_PURPOSE = LookupKeys.HES_CODE_PURPOSE;

  private ProtectedValues() {}

  public static String tcknIdentity(String tckn) {
    return LookupKeys.tcknIdentity(tckn);
  }

  public static String passportIdentity(String nationality, String passportNumber) {
    return LookupKeys.passportIdentity(nationality, passportNumber);
  }

  public static String hesCode(String hesCode) {
    return LookupKeys.hesCode(hesCode);
  }

  /** The part of a HES code that may be shown: its first four characters. */
  public static String hesCodePrefix(String normalizedHesCode) {
    return LookupKeys.hesCodePrefix(normalizedHesCode);
  }
}
