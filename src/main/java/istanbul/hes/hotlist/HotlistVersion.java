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
 * <p>The rule's phases change the list without a change of the log: a version made while the HES
 * rule is not enforced for personalized cards (blocks only) ends in {@code -p}, one made while
 * anonymous cards ride in {@code a} ({@code -a}, {@code -pa}); a list of other phases than now's is
 * answered in full.
 *
 * <p>Versions of the earlier form {@code <change version>-<yyyyMMdd>} named a log sequence number,
 * which did not say exactly which changes a list held: they still parse (no validator holding one
 * gets an error) as {@link #LEGACY}, and are answered with the full list.
 */
record HotlistVersion(long logTransaction, LocalDate day, boolean blocksOnly, boolean anonymousAllowed) {
  HotlistVersion(long logTransaction, LocalDate day) {
    this(logTransaction, day, false, false);
  }

  /** The transaction of a version in the earlier form: no known cut of the log. */
  static final long LEGACY = -1;

  private static final Pattern FORM = Pattern.compile("t?[0-9]{1,18}-[0-9]{8}(-(p|a|pa))?");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /** Empty unless {@code text} is exactly a version this gateway writes or wrote (ASCII digits only). */
  static Optional<HotlistVersion> parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      return Optional.empty();
    }
    boolean legacy = text.charAt(0) != 't';
    int dash = text.indexOf('-');
    int phases = text.indexOf('-', dash + 1);
    String flags = phases < 0 ? "" : text.substring(phases + 1);
    try {
      long transaction = Long.parseLong(text.substring(legacy ? 0 : 1, dash));
      LocalDate day = LocalDate.parse(text.substring(dash + 1, phases < 0 ? text.length() : phases), DAY);
      return Optional.of(new HotlistVersion(legacy ? LEGACY : transaction, day, flags.contains("p"), flags.contains("a")));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  boolean legacy() {
    return logTransaction == LEGACY;
  }

  /** Whether a list of this version holds the same kinds of membership as one of {@code other}'s. */
  boolean samePhases(HotlistVersion other) {
    return blocksOnly == other.blocksOnly && anonymousAllowed == other.anonymousAllowed;
  }

  @Override
  public String toString() {
    String phases = (blocksOnly ? "p" : "") + (anonymousAllowed ? "a" : "");
    return "t" + logTransaction + "-" + DAY.format(day) + (phases.isEmpty() ? "" : "-" + phases);
  }
}
