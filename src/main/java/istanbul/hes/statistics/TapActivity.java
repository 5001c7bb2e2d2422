package istanbul.hes.statistics;

import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.tap.TapOutcome;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the tap path records for the statistics, on every tap, with no lock, no I/O, no log line
 * and no allocation: the tap's card into the sets of its Istanbul day (the validator's own tap
 * time, so offline validators' late uploads count on the day they were tapped), and the tap's
 * outcome into that day's counts. A tap dated more than {@code lateTapDays} before today or after
 * tomorrow is only counted as outside the window.
 *
 * <p>Each tap verticle records through a {@link Stripe} of its own. The flusher reads the days
 * with {@link #days()} and lets them go with {@link #release}.
 */
public final class TapActivity {
  private static final int SLOTS = 8;

  private final ZoneId zone;
  private final int lateTapDays;
  private final LongSupplier clock;
  private final int stripes;
  private final AtomicInteger nextStripe = new AtomicInteger();
  private final AtomicReferenceArray<DayActivity> slots = new AtomicReferenceArray<>(SLOTS);
  private final LongAdder outsideWindow = new LongAdder();
  /** Days pushed out of their slot before the flusher let them go (only with a clock far off): still flushed. */
  private final List<DayActivity> retired = new ArrayList<>();
  private volatile Today today;

  /**
   * The window's days by the node's clock, as the epoch milliseconds each starts at (the last entry
   * is where tomorrow ends): a tap's day is found by comparing numbers, with no date object, for
   * every tap, in the window or not. {@code end} is where today ends.
   */
  private record Today(int day, int firstDay, long[] starts, long end) {}

  /** @param stripes one per tap verticle instance (more only cost memory) */
  public TapActivity(ZoneId zone, int lateTapDays, LongSupplier clock, int stripes) {
    if (lateTapDays < 0 || lateTapDays > SLOTS - 3) {
      throw new IllegalArgumentException("lateTapDays must be 0 to " + (SLOTS - 3));
    }
    this.zone = zone;
    this.lateTapDays = lateTapDays;
    this.clock = clock;
    this.stripes = stripes;
    this.today = today(clock.getAsLong());
  }

  /** The recorder of one tap verticle instance. */
  public final class Stripe {
    private final int stripe;

    private Stripe(int stripe) {
      this.stripe = stripe;
    }

    /**
     * @param atMillis the tap's own time
     * @param known whether the card is in the map ({@code status} is then its status)
     */
    public void tapped(long atMillis, boolean known, CardStatus status, TapOutcome outcome) {
      record(stripe, atMillis, known ? status.index() : CardStatus.NO_INDEX, known && status.personalized(), outcome);
    }
  }

  public Stripe newStripe() {
    return new Stripe(nextStripe.getAndIncrement() % stripes);
  }

  void record(int stripe, long atMillis, int index, boolean personalized, TapOutcome outcome) {
    Today now = this.today;
    long millis = clock.getAsLong();
    if (millis >= now.end) {
      now = roll(millis);
    }
    long[] starts = now.starts;
    if (atMillis < starts[0] || atMillis >= starts[starts.length - 1]) {
      outsideWindow.increment();
      return;
    }
    // Today first, then back (most taps are today's; late uploads yesterday's).
    int offset = starts.length - 2;
    while (atMillis < starts[offset]) {
      offset--;
    }
    int day = now.firstDay + offset;
    DayActivity activity = slots.get(day & (SLOTS - 1));
    if (activity == null || activity.day != day) {
      activity = open(day);
    }
    activity.tapped(stripe, index, personalized, outcome);
  }

  private synchronized Today roll(long millis) {
    if (millis >= today.end) {
      today = today(millis);
    }
    return today;
  }

  private Today today(long millis) {
    LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli(millis), zone);
    LocalDate first = date.minusDays(lateTapDays);
    // Days today - lateTapDays … tomorrow, and the end of tomorrow.
    long[] starts = new long[lateTapDays + 3];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = first.plusDays(i).atStartOfDay(zone).toInstant().toEpochMilli();
    }
    return new Today((int) date.toEpochDay(), (int) first.toEpochDay(), starts, starts[lateTapDays + 1]);
  }

  /** A day's activity, made once per day (the slot a day maps to is free long before: see the window). */
  private synchronized DayActivity open(int day) {
    int slot = day & (SLOTS - 1);
    DayActivity current = slots.get(slot);
    if (current != null && current.day == day) {
      return current;
    }
    DayActivity fresh = new DayActivity(day, stripes);
    if (current != null) {
      retired.add(current);
    }
    slots.set(slot, fresh);
    return fresh;
  }

  /** Flusher: every day with activity, oldest first. */
  synchronized List<DayActivity> days() {
    List<DayActivity> days = new ArrayList<>();
    for (DayActivity day : retired) {
      if (day != null) {
        days.add(day);
      }
    }
    for (int i = 0; i < SLOTS; i++) {
      DayActivity day = slots.get(i);
      if (day != null) {
        days.add(day);
      }
    }
    days.sort((a, b) -> Integer.compare(a.day, b.day));
    return days;
  }

  /**
   * Flusher: lets go of a day no tap can be dated any more once everything in it was written
   * (its memory is freed).
   */
  synchronized void release(DayActivity day) {
    retired.remove(day);
    int slot = day.day & (SLOTS - 1);
    if (slots.get(slot) == day && day.day < today().day - lateTapDays) {
      slots.set(slot, null);
    }
  }

  /** Today (Istanbul), by the node's clock. */
  Today today() {
    long millis = clock.getAsLong();
    return millis >= today.end ? roll(millis) : today;
  }

  int todayEpochDay() {
    return today().day;
  }

  int lateTapDays() {
    return lateTapDays;
  }

  public long outsideWindow() {
    return outsideWindow.sum();
  }

  /** Heap held by the days in memory. */
  public synchronized long bytes() {
    long bytes = 0;
    for (DayActivity day : days()) {
      bytes += day.bytes();
    }
    return bytes;
  }
}
