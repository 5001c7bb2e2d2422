package istanbul.hes.hotlist;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A version of the hotlist: the change log up to and including the changes of transaction
 * {@code logTransaction} (a cut taken once every transaction up to it had ended, so it never
 * gains a row afterwards), and the day it was valid on (HES codes expire by the day, so the same
 * changes make another list tomorrow). Written {@code t<transaction>-<yyyyMMdd>}; validators keep
 * it as an opaque token.
 *
 * <p>Versions of the earlier form {@code <change version>-<yyyyMMdd>} named a log sequence number,
 * which did not say exactly which changes a list held: they still parse (no validator holding one
 * gets an error) as {@link #LEGACY}, and are answered with the full list.
 */
record HotlistVersion(long logTransaction, LocalDate day) {
  /** The transaction of a version in the earlier form: no known cut of the log. */
  static final long LEGACY = -1;

  private static final Pattern FORM = Pattern.compile("t?[0-9]{1,18}-[0-9]{8}");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /** Empty unless {@code text} is exactly a version this gateway writes or wrote (ASCII digits only). */
  static Optional<HotlistVersion> parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      return Optional.empty();
    }
    boolean legacy = text.charAt(0) != 't';
    int dash = text.indexOf('-');
    try {
      long transaction = Long.parseLong(text.substring(legacy ? 0 : 1, dash));
      return Optional.of(new HotlistVersion(legacy ? LEGACY : transaction, LocalDate.parse(text.substring(dash + 1), DAY)));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  boolean legacy() {
    return logTransaction == LEGACY;
  }

  @Override
  public String toString() {
    return "t" + logTransaction + "-" + DAY.format(day);
  }
}
