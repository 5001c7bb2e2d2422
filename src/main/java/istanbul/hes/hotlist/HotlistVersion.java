package istanbul.hes.hotlist;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A version of the hotlist: the change-log version it includes and the day it was valid on (HES
 * codes expire by the day, so the same changes make another list tomorrow). Written
 * {@code <change version>-<yyyyMMdd>}; validators keep it as an opaque token.
 */
record HotlistVersion(long changeVersion, LocalDate day) {
  private static final Pattern FORM = Pattern.compile("[0-9]{1,18}-[0-9]{8}");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /** Empty unless {@code text} is exactly a version this gateway writes (ASCII digits only). */
  static Optional<HotlistVersion> parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      return Optional.empty();
    }
    int dash = text.indexOf('-');
    try {
      return Optional.of(new HotlistVersion(Long.parseLong(text.substring(0, dash)), LocalDate.parse(text.substring(dash + 1), DAY)));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return changeVersion + "-" + DAY.format(day);
  }
}
