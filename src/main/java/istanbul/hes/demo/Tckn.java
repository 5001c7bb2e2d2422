package istanbul.hes.demo;

/** The official checksum of Turkish identity numbers (TCKN), for the synthetic holders. */
final class Tckn {
  private Tckn() {}

  /** Appends the two check digits to nine digits whose first is not zero. */
  static String withChecksum(long firstNine) {
    if (firstNine < 100_000_000L || firstNine > 999_999_999L) {
      throw new IllegalArgumentException("nine digits without a leading zero expected");
    }
    int[] d = new int[11];
    long rest = firstNine;
    for (int k = 8; k >= 0; k--) {
      d[k] = (int) (rest % 10);
      rest /= 10;
    }
    d[9] = Math.floorMod((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7]), 10);
    int sum = 0;
    for (int k = 0; k < 10; k++) {
      sum += d[k];
    }
    d[10] = sum % 10;
    char[] digits = new char[11];
    for (int k = 0; k < 11; k++) {
      digits[k] = (char) ('0' + d[k]);
    }
    return new String(digits);
  }

  static boolean isValid(String tckn) {
    if (tckn == null || tckn.length() != 11 || tckn.charAt(0) == '0') {
      return false;
    }
    for (int k = 0; k < 11; k++) {
      if (tckn.charAt(k) < '0' || tckn.charAt(k) > '9') {
        return false;
      }
    }
    return withChecksum(Long.parseLong(tckn.substring(0, 9))).equals(tckn);
  }
}
