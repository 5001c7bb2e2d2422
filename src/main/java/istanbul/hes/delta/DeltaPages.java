package istanbul.hes.delta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What of a page of the feed may be applied after {@code lastApplied}: the run of deltas numbered
 * {@code lastApplied + 1, + 2, …} without a hole, whatever the page's order, duplicates or
 * replayed deltas. Everything at or below {@code lastApplied} is a duplicate or a replay and
 * changes nothing; a hole ends the run (the rest comes again in a later page, asked from the new
 * position), and is reported, so nothing is ever skipped silently.
 */
public final class DeltaPages {
  private DeltaPages() {}

  /**
   * @param run the deltas to apply, in sequence order, starting at {@code lastApplied + 1}
   * @param gapAfter when a hole was seen, the last sequence number before it (the run's end, or
   *     {@code lastApplied} when the page did not even start at the next number); -1 when none
   * @param conflicting true when one sequence number came with two different contents (a broken
   *     feed: the run stops before it)
   */
  public record Run(List<RiskDelta> run, long gapAfter, boolean conflicting) {
    public boolean gap() {
      return gapAfter >= 0;
    }

    /** The position after applying the run. */
    public long lastAfter(long lastApplied) {
      return run.isEmpty() ? lastApplied : run.get(run.size() - 1).seq();
    }
  }

  /**
   * @param lastApplied the last sequence number applied
   * @param page the page as served
   * @param ministryLast the feed's {@code last}: deltas the page does not reach up to it are not
   *     a hole when the page is merely short (a page limit), only when a number is missing between
   *     two that came
   */
  public static Run next(long lastApplied, List<RiskDelta> page, long ministryLast) {
    List<RiskDelta> newer = new ArrayList<>(page.size());
    for (RiskDelta delta : page) {
      if (delta.seq() > lastApplied) {
        newer.add(delta);
      }
    }
    newer.sort(Comparator.comparingLong(RiskDelta::seq));
    List<RiskDelta> run = new ArrayList<>(newer.size());
    long expected = lastApplied + 1;
    for (RiskDelta delta : newer) {
      if (delta.seq() < expected) {
        RiskDelta previous = run.get(run.size() - 1);
        if (!previous.equals(delta)) {
          return new Run(List.copyOf(run.subList(0, run.size() - 1)), -1, true);
        }
        continue; // the same delta twice
      }
      if (delta.seq() > expected) {
        return new Run(List.copyOf(run), expected - 1, false);
      }
      run.add(delta);
      expected++;
    }
    // Nothing newer came although the ministry has newer deltas: the page left out the next one.
    boolean missing = run.isEmpty() && ministryLast > lastApplied;
    return new Run(List.copyOf(run), missing ? lastApplied : -1, false);
  }
}
