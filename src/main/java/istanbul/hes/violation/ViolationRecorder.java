package istanbul.hes.violation;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.config.ViolationsConfig;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records HES_RISK denials in the violation outbox, durably, before the validator is answered
 * (the caller answers when the returned future completes, and answers 503 when it fails: the
 * denial and its record are one fact).
 *
 * <p>Group commit: records join the open group of their writer ({@code violations.writers} of
 * them, a card always going to the same one); each writer writes its groups by one multi-row
 * statement each, one statement at a time: what arrived while a statement ran goes next, at once.
 * Writers run side by side on the pool: a report key belongs to one writer only, so their
 * statements never wait on each other's row locks (concurrent upserts of the same reports would),
 * and a second writer lets PostgreSQL use a second core while the first one's statement runs. An
 * idle writer writes at once ({@code violations.groupCommitMillis} 0) or first waits that long for
 * a group to form; a statement holds at most {@code violations.groupCommitMaxRecords}. A group's
 * futures complete with its statement, each on the event loop of the tap that asked (the tap
 * path's loop-local state is never touched from the database client's thread). Taps of one card
 * at one validator within one window ({@code violations.windowSeconds}, fixed windows from the
 * epoch) are one report: summed within the group, then added to the pending report in the table.
 */
public final class ViolationRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ViolationRecorder.class);
  private final Vertx vertx;
  private final Pool pool;
  private final ViolationsConfig config;
  private final DependencyFailures failures;
  /** During an outage every group fails at once, the next at once after it: one line per interval. */
  private final ThrottledLog failureLog;
  private final AtomicLong groupsWritten = new AtomicLong();
  private final AtomicLong recordsWritten = new AtomicLong();
  private final AtomicLong recordsFailed = new AtomicLong();
  private final Writer[] writers;

  /** A denial waiting for its group; settled on the context of the tap that asked (its event loop). */
  private record Pending(long card, String validator, Instant at, Context caller, Promise<Void> written) {
    void settle(Throwable failure) {
      caller.runOnContext(ignored -> {
        if (failure == null) {
          written.complete();
        } else {
          written.fail(failure);
        }
      });
    }
  }

  /** One report of a group: a card at a validator in a window, with its taps. */
  private static final class Report {
    final long card;
    final String validator;
    final Instant windowStart;
    Instant first;
    Instant last;
    int taps;

    Report(long card, String validator, Instant windowStart, Instant at) {
      this.card = card;
      this.validator = validator;
      this.windowStart = windowStart;
      this.first = at;
      this.last = at;
    }
  }

  public ViolationRecorder(Vertx vertx, Pool pool, ViolationsConfig config) {
    this(vertx, pool, config, DependencyFailures.standalone());
  }

  /** @param failures counts the statements an outage of PostgreSQL failed; its interval spaces the warnings */
  public ViolationRecorder(Vertx vertx, Pool pool, ViolationsConfig config, DependencyFailures failures) {
    this.failures = failures;
    this.failureLog = failures.throttled(LOG);
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.writers = new Writer[config.writers()];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = new Writer();
    }
  }

  /** The recorder's meters: denials recorded, denials not recorded (alert), denials waiting for their statement. */
  public ViolationRecorder registerMeters(MeterRegistry meters) {
    Gauge.builder("gateway_violation_records_pending", this, ViolationRecorder::pending)
        .description("HES_RISK denials waiting for their group commit (their taps are not answered yet)")
        .register(meters);
    FunctionCounter.builder("gateway_violations_recorded", this, ViolationRecorder::recordsWritten)
        .description("HES_RISK denials recorded in the violation outbox (taps; repeats within a window share a report)")
        .register(meters);
    FunctionCounter.builder("gateway_violation_groups_written", this, ViolationRecorder::groupsWritten)
        .description("Group commits of HES_RISK denials (denials recorded / groups = denials per commit)")
        .register(meters);
    FunctionCounter.builder("gateway_violation_record_failures", this, ViolationRecorder::recordsFailed)
        .description("HES_RISK denials that could not be recorded (answered 503 VIOLATION_NOT_RECORDED): ALERT")
        .register(meters);
    return this;
  }

  /** Records a denial of {@code card} at {@code validator} at {@code at}; completes once it is committed. */
  public Future<Void> record(long card, String validator, Instant at) {
    Promise<Void> written = Promise.promise();
    writers[Math.floorMod(Long.hashCode(card), writers.length)]
        .add(new Pending(card, validator, at, vertx.getOrCreateContext(), written));
    return written.future();
  }

  /**
   * Writes what is waiting now, without waiting for the group's pause, and completes once every
   * record taken so far has been written or has failed (its tap was then answered 503): the last
   * step before the pool closes on shutdown, when no tap can add records any more.
   */
  public Future<Void> drain() {
    List<Future<Void>> outstanding = new ArrayList<>();
    for (Writer writer : writers) {
      outstanding.addAll(writer.outstanding());
      writer.flush();
    }
    return Future.join(outstanding).mapEmpty();
  }

  /** Records taken and not yet written (open groups and groups being written). */
  public int pending() {
    int pending = 0;
    for (Writer writer : writers) {
      pending += writer.pending();
    }
    return pending;
  }

  /** Groups written so far (for metrics and tests: records per group = recordsWritten / groupsWritten). */
  public long groupsWritten() {
    return groupsWritten.get();
  }

  /** Denials recorded (taps, before reports are merged). */
  public long recordsWritten() {
    return recordsWritten.get();
  }

  /** Denials whose record failed (their taps were answered 503). */
  public long recordsFailed() {
    return recordsFailed.get();
  }

  /** One writer: its open group, the group its statement is writing, and at most one statement at a time. */
  private final class Writer {
    private List<Pending> open = new ArrayList<>();
    private List<Pending> beingWritten = List.of();
    private long timer = -1;
    private boolean writing;

    void add(Pending pending) {
      boolean flushNow;
      synchronized (this) {
        open.add(pending);
        // Pause 0: a group is whatever arrived while the previous statement ran (written at once when idle).
        flushNow = !writing && (config.groupCommitMillis() == 0 || open.size() >= config.groupCommitMaxRecords());
        if (!flushNow && !writing && timer < 0) {
          timer = vertx.setTimer(config.groupCommitMillis(), id -> flush());
        }
      }
      if (flushNow) {
        flush();
      }
    }

    synchronized int pending() {
      return open.size() + beingWritten.size();
    }

    synchronized List<Future<Void>> outstanding() {
      List<Future<Void>> outstanding = new ArrayList<>();
      beingWritten.forEach(pending -> outstanding.add(pending.written().future()));
      open.forEach(pending -> outstanding.add(pending.written().future()));
      return outstanding;
    }

    /**
     * Writes the open group, one group at a time: while a group is being written the next one
     * grows, and is written as soon as the statement before it commits.
     */
    void flush() {
      List<Pending> group;
      synchronized (this) {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
          timer = -1;
        }
        if (writing || open.isEmpty()) {
          return;
        }
        writing = true;
        int max = config.groupCommitMaxRecords();
        if (open.size() <= max) {
          group = open;
          open = new ArrayList<>();
        } else {
          // The rest goes next, right after this statement: no statement grows past the limit.
          group = new ArrayList<>(open.subList(0, max));
          open = new ArrayList<>(open.subList(max, open.size()));
        }
        beingWritten = group;
      }
      write(group).onComplete(done -> {
        boolean again;
        synchronized (this) {
          writing = false;
          beingWritten = List.of();
          again = !open.isEmpty();
        }
        if (again) {
          flush();
        }
        settle(group, done.cause());
      });
    }
  }

  /** Counts a written or failed group and settles its records (their taps are answered 200, or 503 on failure). */
  private void settle(List<Pending> group, Throwable failure) {
    if (failure == null) {
      groupsWritten.incrementAndGet();
      recordsWritten.addAndGet(group.size());
    } else {
      // At most one line per interval, however many statements failed (the taps get 503; the
      // failure counter has every denial).
      recordsFailed.addAndGet(group.size());
      if (DependencyFailures.postgresqlUnavailable(failure)) {
        failures.count(DependencyFailures.Dependency.POSTGRESQL, "violation_record");
      }
      failureLog.warn("record", "{} HES_RISK denials could not be recorded ({}); their taps were answered 503 for the "
          + "validators to retry", group.size(), DependencyFailures.summary(failure));
    }
    group.forEach(pending -> pending.settle(failure));
  }

  /** One multi-row statement for the group; the group's records are settled by the caller. */
  private Future<?> write(List<Pending> group) {
    long windowMillis = config.windowSeconds() * 1000L;
    Map<String, Report> reports = new LinkedHashMap<>();
    for (Pending pending : group) {
      Instant windowStart = Instant.ofEpochMilli(Math.floorDiv(pending.at().toEpochMilli(), windowMillis) * windowMillis);
      Report report = reports.computeIfAbsent(pending.card() + "|" + pending.validator() + "|" + windowStart.toEpochMilli(),
          key -> new Report(pending.card(), pending.validator(), windowStart, pending.at()));
      report.taps++;
      if (pending.at().isBefore(report.first)) {
        report.first = pending.at();
      }
      if (pending.at().isAfter(report.last)) {
        report.last = pending.at();
      }
    }
    int size = reports.size();
    Long[] cards = new Long[size];
    String[] validators = new String[size];
    OffsetDateTime[] windows = new OffsetDateTime[size];
    OffsetDateTime[] firsts = new OffsetDateTime[size];
    OffsetDateTime[] lasts = new OffsetDateTime[size];
    Integer[] taps = new Integer[size];
    int i = 0;
    for (Report report : reports.values()) {
      cards[i] = report.card;
      validators[i] = report.validator;
      windows[i] = report.windowStart.atOffset(ZoneOffset.UTC);
      firsts[i] = report.first.atOffset(ZoneOffset.UTC);
      lasts[i] = report.last.atOffset(ZoneOffset.UTC);
      taps[i] = report.taps;
      i++;
    }
    return pool.preparedQuery(ViolationSql.RECORD)
        .execute(Tuple.tuple().addValue(cards).addValue(validators).addValue(windows).addValue(firsts).addValue(lasts).addValue(taps));
  }
}
