package istanbul.hes.statistics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import istanbul.hes.config.StatisticsConfig;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the tap path recorded ({@link TapActivity}) to PostgreSQL every
 * {@code statistics.flushSeconds}, all of it or none (a failed write is given back and retried
 * at the next flush), once more when the node stops; does the cluster's statistics duties when
 * its turn comes ({@link StatisticsStore#duties}); and keeps the {@code gateway_statistics_*}
 * gauges of today. A worker verticle: taking the new cards out of the sets is a loop over
 * megabytes, never an event loop's work.
 */
public final class StatisticsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StatisticsVerticle.class);

  private final StatisticsConfig config;
  private final TapActivity activity;
  private final String node;
  private final DependencyFailures failures;
  private final ThrottledLog log;
  private final MeterRegistry meters;
  private final Pool pool;
  private final AtomicReference<TodayFigures> today = new AtomicReference<>();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong flushFailures = new AtomicLong();
  private StatisticsStore store;
  private long flushTimer = -1;
  /** When the gauges were last refreshed (nanoTime); the first round refreshes them. */
  private long gaugesRefreshedAt;
  private boolean gaugesEverRefreshed;
  private Future<Void> running = Future.succeededFuture();
  /** Set by stop(): a round the timer queued before its cancel does nothing (its results would find the context gone). */
  private boolean stopped;

  /** Today's figures for the gauges: the live population row and the day's distinct cards. */
  record TodayFigures(Population population, Map<CardSet, Long> active) {}

  public StatisticsVerticle(StatisticsConfig config, TapActivity activity, String node, Pool pool,
      MeterRegistry meters, DependencyFailures failures) {
    this.config = config;
    this.activity = activity;
    this.node = node;
    this.failures = failures;
    this.log = failures.throttled(LOG);
    this.meters = meters;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    store = new StatisticsStore(vertx, pool);
    registerMeters();
    // The first round at once: today's live figures (and yesterday's snapshot, if missing) exist from the start.
    flushTimer = vertx.setPeriodic(0, config.flushSeconds() * 1000L, tick -> round());
    return Future.succeededFuture();
  }

  /** A flush, the duties, then the gauges when due; a round never overlaps the one before. */
  private void round() {
    if (stopped) {
      return;
    }
    running = running.eventually(() -> flush().compose(done -> duties()).otherwiseEmpty().compose(done -> gaugesIfDue()));
  }

  private Future<Void> gaugesIfDue() {
    if (gaugesEverRefreshed && System.nanoTime() - gaugesRefreshedAt < config.gaugeRefreshSeconds() * 1_000_000_000L) {
      return Future.succeededFuture();
    }
    gaugesEverRefreshed = true;
    gaugesRefreshedAt = System.nanoTime();
    return refreshGauges();
  }

  /** What was recorded and not written yet, written in one transaction. */
  Future<Void> flush() {
    List<DayActivity> days = activity.days();
    List<StatisticsStore.DayWrite> writes = new ArrayList<>();
    for (DayActivity day : days) {
      Map<CardSet, IntList> added = new EnumMap<>(CardSet.class);
      for (CardSet set : CardSet.ALL) {
        added.put(set, day.set(set).take());
      }
      writes.add(new StatisticsStore.DayWrite(day.day, added, day.takeCounts()));
    }
    if (writes.stream().allMatch(StatisticsStore.DayWrite::isEmpty)) {
      release(days, writes);
      return Future.succeededFuture();
    }
    return store.flush(node, writes)
        .onSuccess(done -> {
          flushes.incrementAndGet();
          release(days, writes);
        })
        .onFailure(failure -> {
          flushFailures.incrementAndGet();
          for (int i = 0; i < days.size(); i++) {
            DayActivity day = days.get(i);
            StatisticsStore.DayWrite write = writes.get(i);
            write.added().forEach((set, indexes) -> day.set(set).giveBack(indexes));
            day.giveBackCounts(write.taps());
          }
          report("statistics flush", failure);
        });
  }

  /**
   * Lets go of the days that were already out of the window at the round before this one and had
   * nothing new in this round's take: a tap that read the day just before it left the window has
   * long finished adding to it by then, so nothing can come after.
   */
  private void release(List<DayActivity> days, List<StatisticsStore.DayWrite> writes) {
    int oldestOpen = activity.todayEpochDay() - activity.lateTapDays();
    for (int i = 0; i < days.size(); i++) {
      if (days.get(i).day < releasableBefore && writes.get(i).isEmpty()) {
        activity.release(days.get(i));
      }
    }
    releasableBefore = oldestOpen;
  }

  /** The oldest day still open at the previous round: days before it can be let go. */
  private int releasableBefore = Integer.MIN_VALUE;

  private Future<Void> duties() {
    return store.duties(node, activity.todayEpochDay(), config.gaugeRefreshSeconds(), config.compactAfterSeconds())
        .onSuccess(compacted -> {
          if (compacted > 0) {
            LOG.info("statistics: compacted {} ended day(s) into bitmaps", compacted);
          }
        })
        .onFailure(failure -> report("statistics duties", failure))
        .mapEmpty();
  }

  private Future<Void> refreshGauges() {
    LocalDate day = LocalDate.ofEpochDay(activity.todayEpochDay());
    return store.populations(day, day)
        .compose(populations -> store.distinctPerDay(day, day).map(active ->
            new TodayFigures(populations.get(day), active.getOrDefault(day, Map.of()))))
        .onSuccess(today::set)
        .onFailure(failure -> report("statistics gauges", failure))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void report(String operation, Throwable failure) {
    if (DependencyFailures.outage(failure).isPresent()) {
      failures.record(DependencyFailures.Dependency.POSTGRESQL, operation, failure);
    } else {
      // The statistics' statements hold card indexes and counts, never personal data: the message helps.
      log.warn(operation, "{} failed: {}: {} (recorded taps are kept and written at the next flush)", operation,
          DependencyFailures.summary(failure), failure.getMessage());
    }
  }

  private void registerMeters() {
    FunctionCounter.builder("gateway_statistics_flushes", flushes, AtomicLong::get)
        .description("Statistics flushes written to PostgreSQL").register(meters);
    FunctionCounter.builder("gateway_statistics_flush_failures", flushFailures, AtomicLong::get)
        .description("Statistics flushes that failed (what they held is written at the next one)").register(meters);
    FunctionCounter.builder("gateway_statistics_taps_outside_window", activity, TapActivity::outsideWindow)
        .description("Taps dated before statistics.lateTapDays or after tomorrow: answered, not in the statistics").register(meters);
    Gauge.builder("gateway_statistics_memory_bytes", activity, TapActivity::bytes).baseUnit("bytes")
        .description("Heap held by the days of taps in memory (card sets and their flushed shadows)").register(meters);
    gauge("gateway_statistics_cards", "Cards in total (today, live)", figures -> figures.population() == null ? Double.NaN : figures.population().cards());
    gauge("gateway_statistics_personalized_cards", "Personalized cards (today, live)",
        figures -> figures.population() == null ? Double.NaN : figures.population().personalized());
    gauge("gateway_statistics_hes_linked_cards", "Cards with a HES code linked (today, live)",
        figures -> figures.population() == null ? Double.NaN : figures.population().hesLinked());
    gauge("gateway_statistics_hes_expired_cards", "Cards whose linked HES code is expired (today, live)",
        figures -> figures.population() == null ? Double.NaN : figures.population().hesExpired());
    gauge("gateway_statistics_risky_holders", "Holders the Ministry of Health says are risky (today, live)",
        figures -> figures.population() == null ? Double.NaN : figures.population().riskyHolders());
    gauge("gateway_statistics_suspended_cards", "Cards denied HES_RISK: their holder is risky (today, live)",
        figures -> figures.population() == null ? Double.NaN : figures.population().suspendedCards());
    gauge("gateway_statistics_blocked_cards", "Cards an operator blocked (today, live)",
        figures -> figures.population() == null ? Double.NaN : figures.population().blocked());
    gauge("gateway_statistics_active_cards", "Distinct cards that tapped today, all nodes",
        figures -> figures.active().getOrDefault(CardSet.TAPPED, 0L));
    gauge("gateway_statistics_active_personalized_cards", "Distinct cards that tapped today while personalized, all nodes",
        figures -> figures.active().getOrDefault(CardSet.TAPPED_PERSONALIZED, 0L));
    gauge("gateway_statistics_hes_risk_denied_cards", "Distinct cards denied HES_RISK today, all nodes",
        figures -> figures.active().getOrDefault(CardSet.DENIED_HES_RISK, 0L));
  }

  private void gauge(String name, String description, ToDoubleFunction<TodayFigures> value) {
    Gauge.builder(name, today, figures -> figures.get() == null ? Double.NaN : value.applyAsDouble(figures.get()))
        .description(description + "; refreshed every statistics.gaugeRefreshSeconds")
        .register(meters);
  }

  /** The last flush: what the taps recorded until the tap listener stopped. */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(flushTimer);
    return running.eventually(this::flush).onSuccess(done -> LOG.debug("statistics flushed at shutdown"));
  }
}
