package istanbul.hes.cardstore;

/**
 * The 16-digit Istanbulkart number, held as a {@code long}. Accepted as 16 ASCII digits, or as
 * four groups of four separated by single spaces (the printed form). Nothing else: look-alike
 * digits from other scripts, other separators or other lengths are invalid, never normalized.
 */
public final class CardNumber {
  public static final int DIGITS = 16;
  public static final long INVALID = -1L;
  public static final long MAX = 9_999_999_999_999_999L;

  private CardNumber() {}

  /** Parses a card number from a string; returns {@link #INVALID} for anything else. */
  public static long parse(CharSequence text) {
    int length = text.length();
    if (length != DIGITS && length != DIGITS + 3) {
      return INVALID;
    }
    return parse(text.toString().toCharArray(), 0, length);
  }

  /** Parses a slice of a char array (Jackson's text buffer) without allocating. */
  public static long parse(char[] chars, int offset, int length) {
    if (length == DIGITS) {
      long value = 0;
      for (int i = offset, end = offset + DIGITS; i < end; i++) {
        int digit = chars[i] - '0';
        if (digit < 0 || digit > 9) {
          return INVALID;
        }
        value = value * 10 + digit;
      }
      return value;
    }
    if (length == DIGITS + 3) {
      long value = 0;
      for (int i = 0; i < length; i++) {
        char c = chars[offset + i];
        if (i % 5 == 4) {
          if (c != ' ') {
            return INVALID;
          }
          continue;
        }
        int digit = c - '0';
        if (digit < 0 || digit > 9) {
          return INVALID;
        }
        value = value * 10 + digit;
      }
      return value;
    }
    return INVALID;
  }

  public static boolean isValid(long card) {
    return card >= 0 && card <= MAX;
  }

  /** Writes the 16 digits (zero-padded) into {@code into} at {@code offset}; no allocation. */
  public static void writeDigits(long card, byte[] into, int offset) {
    long rest = card;
    for (int i = offset + DIGITS - 1; i >= offset; i--) {
      into[i] = (byte) ('0' + (int) (rest % 10));
      rest /= 10;
    }
  }

  public static String format(long card) {
    byte[] digits = new byte[DIGITS];
    writeDigits(card, digits, 0);
    return new String(digits, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** As printed on the card: four groups of four digits, e.g. {@code 4000 1234 5678 9012}. */
  public static String printed(long card) {
    String digits = format(card);
    return digits.substring(0, 4) + ' ' + digits.substring(4, 8) + ' ' + digits.substring(8, 12) + ' ' + digits.substring(12);
  }

  /** For logs: the last four digits only, as printed on receipts. */
  public static String masked(long card) {
    String digits = format(card);
    return "************" + digits.substring(12);
  }
}
