package istanbul.hes.citizen.domain;

/** ASCII character classes: look-alikes from other scripts (full-width, Arabic-Indic, Turkish ı/İ) are never in them. */
final class Ascii {
  private Ascii() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static boolean isLetterOrDigit(char c) {
    return isDigit(c) || isLetter(c);
  }

  static char toUpper(char c) {
    return c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
  }

  /** {@code '*'} for all but the last {@code visible} characters (the ministry's masking of numbers). */
  static String maskAllButLast(String value, int visible) {
    int shown = Math.min(visible, value.length());
    return "*".repeat(value.length() - shown) + value.substring(value.length() - shown);
  }
}
