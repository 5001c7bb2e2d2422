package istanbul.hes.statistics;

import istanbul.hes.tap.TapOutcome;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One Istanbul day's taps on this node: the sets of cards and the tap counts by outcome. Counts
 * are striped per event loop (a stripe per cache line), so loops never contend on one.
 */
final class DayActivity {
  private static final int STRIDE = 16;

  final int day;
  private final ActiveCardBits[] sets = new ActiveCardBits[CardSet.ALL.length];
  private final AtomicLongArray counts;
  private final int stripes;

  DayActivity(int day, int stripes) {
    this.day = day;
    this.stripes = stripes;
    for (CardSet set : CardSet.ALL) {
      sets[set.ordinal()] = new ActiveCardBits();
    }
    counts = new AtomicLongArray(stripes * STRIDE);
  }

  void tapped(int stripe, int index, boolean personalized, TapOutcome outcome) {
    counts.getAndIncrement(stripe * STRIDE + outcome.ordinal());
    if (index < 0) {
      return;
    }
    sets[CardSet.TAPPED.ordinal()].add(index);
    if (personalized) {
      sets[CardSet.TAPPED_PERSONALIZED.ordinal()].add(index);
    }
    if (outcome == TapOutcome.DENY_HES_RISK) {
      sets[CardSet.DENIED_HES_RISK.ordinal()].add(index);
    }
  }

  ActiveCardBits set(CardSet set) {
    return sets[set.ordinal()];
  }

  /** Flusher: the taps counted since the last take, by outcome ordinal, now reset. */
  long[] takeCounts() {
    long[] taken = new long[TapOutcome.all().length];
    for (int stripe = 0; stripe < stripes; stripe++) {
      for (int outcome = 0; outcome < taken.length; outcome++) {
        taken[outcome] += counts.getAndSet(stripe * STRIDE + outcome, 0);
      }
    }
    return taken;
  }

  /** Flusher: their write failed; counted again. */
  void giveBackCounts(long[] taken) {
    for (int outcome = 0; outcome < taken.length; outcome++) {
      if (taken[outcome] != 0) {
        counts.getAndAdd(outcome, taken[outcome]);
      }
    }
  }

  long bytes() {
    long bytes = counts.length() * 8L;
    for (ActiveCardBits set : sets) {
      bytes += set.bytes();
    }
    return bytes;
  }
}
