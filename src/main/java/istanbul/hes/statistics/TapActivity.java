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

  /** Today's and yesterday's bounds in epoch milliseconds: a tap's day, found without a date object. */
  private record Today(int day, long start, long end, long yesterdayStart) {}

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
    int day;
    if (atMillis >= now.start && atMillis < now.end) {
      day = now.day;
    } else if (atMillis >= now.yesterdayStart && atMillis < now.start) {
      day = now.day - 1;
    } else {
      day = dayOf(atMillis);
    }
    if (day < now.day - lateTapDays || day > now.day + 1) {
      outsideWindow.increment();
      return;
    }
    DayActivity activity = slots.get(day & (SLOTS - 1));
    if (activity == null || activity.day != day) {
      activity = open(day);
    }
    activity.tapped(stripe, index, personalized, outcome);
  }

  private int dayOf(long millis) {
    return (int) LocalDate.ofInstant(Instant.ofEpochMilli(millis), zone).toEpochDay();
  }

  private synchronized Today roll(long millis) {
    if (millis >= today.end) {
      today = today(millis);
    }
    return today;
  }

  private Today today(long millis) {
    LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli(millis), zone);
    return new Today((int) date.toEpochDay(), date.atStartOfDay(zone).toInstant().toEpochMilli(),
        date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli(), date.minusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
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
