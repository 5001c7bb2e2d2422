package istanbul.hes.tap;

/**
 * Reads the validator's tap time: an RFC 3339 timestamp with a zone offset,
 * {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)}, ASCII only. Hand-written because the
 * JDK's formatter costs more per tap than the rest of the decision.
 */
public final class TapTime {
  public static final long INVALID = Long.MIN_VALUE;

  private TapTime() {}

  /** Epoch milliseconds, or {@link #INVALID}. */
  public static long parseMillis(char[] text, int offset, int length) {
    if (length < 20 || length > 35) {
      return INVALID;
    }
    int end = offset + length;
    int year = digits(text, offset, 4);
    int month = digits(text, offset + 5, 2);
    int day = digits(text, offset + 8, 2);
    int hour = digits(text, offset + 11, 2);
    int minute = digits(text, offset + 14, 2);
    int second = digits(text, offset + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59
        || text[offset + 4] != '-' || text[offset + 7] != '-' || (text[offset + 10] != 'T' && text[offset + 10] != 't')
        || text[offset + 13] != ':' || text[offset + 16] != ':'
        || day > daysInMonth(year, month)) {
      return INVALID;
    }
    int position = offset + 19;
    int millis = 0;
    if (text[position] == '.') {
      int fractionStart = ++position;
      while (position < end && text[position] >= '0' && text[position] <= '9') {
        if (position - fractionStart < 3) {
          millis = millis * 10 + (text[position] - '0');
        }
        position++;
      }
      int fractionDigits = position - fractionStart;
      if (fractionDigits == 0 || fractionDigits > 9) {
        return INVALID;
      }
      for (int i = fractionDigits; i < 3; i++) {
        millis *= 10;
      }
    }
    int offsetSeconds;
    if (position == end - 1 && (text[position] == 'Z' || text[position] == 'z')) {
      offsetSeconds = 0;
    } else if (position == end - 6 && (text[position] == '+' || text[position] == '-') && text[position + 3] == ':') {
      int offsetHours = digits(text, position + 1, 2);
      int offsetMinutes = digits(text, position + 4, 2);
      if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) {
        return INVALID;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text[position] == '-' ? -1 : 1);
    } else {
      return INVALID;
    }
    long epochDay = epochDay(year, month, day);
    long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1000 + millis;
  }

  public static long parseMillis(String text) {
    return parseMillis(text.toCharArray(), 0, text.length());
  }

  private static int digits(char[] text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
  static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468;
  }
}
