package istanbul.hes.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.tap.TapOutcome;
import java.lang.management.ManagementFactory;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A tap counts on its own Istanbul day inside the window, outside it only as such, and costs no allocation either way. */
class TapActivityTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 1, 10, 0, 0, 0, ISTANBUL);

  private static long at(int daysFromToday, int hour) {
    return NOW.toLocalDate().plusDays(daysFromToday).atTime(hour, 0).atZone(ISTANBUL).toInstant().toEpochMilli();
  }

  @Test
  void eachTapCountsOnItsOwnDayWithinTheWindowAndOnlyAsOutsideBeyondIt() {
    AtomicLong clock = new AtomicLong(NOW.toInstant().toEpochMilli());
    TapActivity activity = new TapActivity(ISTANBUL, 1, clock::get, 2);
    activity.record(0, at(0, 0), 1, true, TapOutcome.ALLOW_OK); // midnight: today
    activity.record(0, at(0, 23), 2, false, TapOutcome.DENY_NOT_PERSONALIZED);
    activity.record(1, at(-1, 12), 3, true, TapOutcome.DENY_HES_RISK); // a late upload
    activity.record(1, at(1, 6), 4, true, TapOutcome.ALLOW_OK); // a validator's clock a bit ahead
    activity.record(0, at(-2, 12), 5, true, TapOutcome.ALLOW_OK); // beyond lateTapDays
    activity.record(0, at(2, 0), 6, true, TapOutcome.ALLOW_OK); // after tomorrow
    activity.record(0, at(0, 0) - 1, 7, true, TapOutcome.ALLOW_OK); // 23:59:59.999 yesterday

    List<DayActivity> days = activity.days();
    int today = (int) NOW.toLocalDate().toEpochDay();
    assertThat(days).extracting(day -> day.day).containsExactly(today - 1, today, today + 1);
    assertThat(indexes(days.get(0), CardSet.TAPPED)).containsExactly(3, 7);
    assertThat(indexes(days.get(0), CardSet.DENIED_HES_RISK)).containsExactly(3);
    assertThat(indexes(days.get(1), CardSet.TAPPED)).containsExactly(1, 2);
    assertThat(indexes(days.get(1), CardSet.TAPPED_PERSONALIZED)).containsExactly(1);
    assertThat(indexes(days.get(2), CardSet.TAPPED)).containsExactly(4);
    assertThat(activity.outsideWindow()).isEqualTo(2);
    assertThat(days.get(1).takeCounts()[TapOutcome.DENY_NOT_PERSONALIZED.ordinal()]).isEqualTo(1);

    // At midnight the window moves: yesterday's day is now two days back, outside.
    clock.set(NOW.toLocalDate().plusDays(1).atStartOfDay(ISTANBUL).toInstant().toEpochMilli());
    activity.record(0, at(-1, 12), 8, true, TapOutcome.ALLOW_OK);
    assertThat(activity.outsideWindow()).isEqualTo(3);
    activity.record(0, at(1, 1), 9, true, TapOutcome.ALLOW_OK);
    assertThat(indexes(activity.days().get(2), CardSet.TAPPED)).containsExactly(9);
  }

  @Test
  void aTapAllocatesNothingInTheWindowOrOutsideIt() {
    AtomicLong clock = new AtomicLong(NOW.toInstant().toEpochMilli());
    TapActivity activity = new TapActivity(ISTANBUL, 1, clock::get, 1);
    long[] times = {at(0, 9), at(-1, 20), at(-5, 9), at(3, 9)};
    for (int i = 0; i < 200_000; i++) { // warm up (and allocate the chunks once)
      activity.record(0, times[i & 3], i & 1023, true, TapOutcome.ALLOW_OK);
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 200_000; i++) {
      activity.record(0, times[i & 3], i & 1023, (i & 1) == 0, TapOutcome.ALLOW_OK);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated by 200,000 taps").isLessThan(1_024);
  }

  private static List<Integer> indexes(DayActivity day, CardSet set) {
    IntList taken = day.set(set).take();
    java.util.ArrayList<Integer> list = new java.util.ArrayList<>();
    for (int i = 0; i < taken.size(); i++) {
      list.add(taken.get(i));
    }
    return list;
  }
}
