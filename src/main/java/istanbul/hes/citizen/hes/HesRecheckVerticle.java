package istanbul.hes.citizen.hes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import istanbul.hes.citizen.store.CitizenRepository;
import istanbul.hes.citizen.store.DueLink;
import istanbul.hes.citizen.store.MinistryVerdict;
import istanbul.hes.citizen.store.RecordedVerdict;
import istanbul.hes.config.HesRecheckConfig;
import istanbul.hes.ministry.health.BulkCheck;
import istanbul.hes.ministry.health.HealthMinistryClient;
import istanbul.hes.ministry.health.HesCheck;
import istanbul.hes.ministry.health.HesCodeRejection;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps linked HES codes in step with the Ministry of Health: every
 * {@code hesRecheck.intervalSeconds} it claims the links checked longest ago (beyond
 * {@code hesRecheck.afterSeconds}), asks the ministry about them in bulk, and records each answer
 * through the repository (status and expiry, the holder's risk, the cards recomputed). A code the
 * ministry calls expired or unknown expires today. When the ministry gives no answer, the claims
 * are given back untouched and the next round tries again.
 *
 * <p>One round at a time; a full batch is followed by the next round at once (a backlog drains at
 * the ministry's pace), a short one by the interval.
 */
public final class HesRecheckVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HesRecheckVerticle.class);
  private final DependencyFailures failures;
  /** An outage fails every round and every answer of a round: one line per kind per interval. */
  private final ThrottledLog failureLog;

  /** What became of one re-checked code (the metric's {@code outcome} tag). */
  enum Outcome {
    RISKLESS, RISKY, EXPIRED, NOT_FOUND, NOT_ANSWERED, UNAVAILABLE, NOT_LINKED
  }

  private final HesRecheckConfig config;
  private final HealthMinistryClient ministry;
  private final CitizenRepository repository;
  private final Clock clock;
  private final ZoneId zone;
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final AtomicLong lastRoundEpochSeconds = new AtomicLong();
  private final Counter statusChanges;
  private volatile boolean stopped;
  private long timer = -1;

  public HesRecheckVerticle(HesRecheckConfig config, HealthMinistryClient ministry, CitizenRepository repository,
      MeterRegistry meters, Clock clock, ZoneId zone, DependencyFailures failures) {
    this.failures = failures;
    this.failureLog = failures.throttled(LOG);
    this.config = config;
    this.ministry = ministry;
    this.repository = repository;
    this.clock = clock;
    this.zone = zone;
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(outcome, Counter.builder("gateway_hes_rechecks")
          .description("Linked HES codes re-checked with the Ministry of Health, by what the answer was")
          .tag("outcome", outcome.name().toLowerCase())
          .register(meters));
    }
    Gauge.builder("gateway_hes_recheck_last_round_seconds", lastRoundEpochSeconds, AtomicLong::get)
        .description("Unix time of the last re-check round that got the ministry's answer (0: none yet)")
        .register(meters);
    statusChanges = Counter.builder("gateway_hes_recheck_card_changes")
        .description("Card statuses changed by re-check answers")
        .register(meters);
  }

  @Override
  public Future<?> start() {
    schedule(Duration.ofSeconds(config.intervalSeconds()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void schedule(Duration delay) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> round().onComplete(done -> {
        boolean backlog = done.succeeded() && done.result() >= config.batchSize();
        schedule(backlog ? Duration.ofMillis(1) : Duration.ofSeconds(config.intervalSeconds()));
      }));
    }
  }

  /** One round; the number of links it claimed. Never fails: failures are logged and counted. */
  Future<Integer> round() {
    return repository.claimDueLinks(clock.instant().minusSeconds(config.afterSeconds()), config.batchSize())
        .compose(due -> due.isEmpty() ? Future.succeededFuture(0) : check(due).map(due.size()))
        .recover(failure -> {
          countOutage(failure);
          failureLog.warn("round", "HES code re-check round failed: {}", DependencyFailures.summary(failure));
          return Future.succeededFuture(0);
        });
  }

  private Future<Void> check(List<DueLink> due) {
    List<String> codes = due.stream().map(link -> link.code().value()).toList();
    return ministry.checkMany(codes)
        .recover(unavailable -> {
          // No answer: the links keep their previous check time and come up again next round.
          outcomes.get(Outcome.UNAVAILABLE).increment(due.size());
          return repository.releaseClaims(due).compose(released -> Future.failedFuture(unavailable));
        })
        .compose(answer -> {
          lastRoundEpochSeconds.set(clock.instant().getEpochSecond());
          return record(due, answer);
        });
  }

  /** The answers, one transaction each, in order (a holder's cards are locked by one at a time). */
  private Future<Void> record(List<DueLink> due, BulkCheck answer) {
    LocalDate today = LocalDate.now(clock.withZone(zone));
    List<DueLink> unanswered = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (DueLink link : due) {
      String code = link.code().value();
      HesCheck check = answer.valid().get(code);
      HesCodeRejection rejection = answer.rejected().get(code);
      if (check != null) {
        Outcome outcome = check.risky() ? Outcome.RISKY : Outcome.RISKLESS;
        chain = chain.compose(ignored -> counted(outcome, repository.recordVerdict(link.code(), MinistryVerdict.of(check))));
      } else if (rejection == HesCodeRejection.EXPIRED || rejection == HesCodeRejection.NOT_FOUND) {
        Outcome outcome = rejection == HesCodeRejection.EXPIRED ? Outcome.EXPIRED : Outcome.NOT_FOUND;
        chain = chain.compose(ignored -> counted(outcome, repository.recordInvalid(link.code(), outcome.name(), today)));
      } else {
        unanswered.add(link);
      }
    }
    if (!unanswered.isEmpty()) {
      outcomes.get(Outcome.NOT_ANSWERED).increment(unanswered.size());
      chain = chain.compose(ignored -> repository.releaseClaims(unanswered));
    }
    return chain;
  }

  /** Counts a recorded answer; a failure to record one is logged and the round goes on with the next. */
  private Future<Void> counted(Outcome outcome, Future<Optional<RecordedVerdict>> recorded) {
    return recorded
        .onSuccess(result -> {
          if (result.isEmpty()) {
            outcomes.get(Outcome.NOT_LINKED).increment();
          } else {
            outcomes.get(outcome).increment();
            statusChanges.increment(result.get().changedCards());
          }
        })
        .<Void>mapEmpty()
        .recover(failure -> {
          countOutage(failure);
          failureLog.warn("record", "recording a re-check answer ({}) failed: {}", outcome, DependencyFailures.summary(failure));
          return Future.succeededFuture();
        });
  }

  private void countOutage(Throwable failure) {
    if (DependencyFailures.postgresqlUnavailable(failure)) {
      failures.count(DependencyFailures.Dependency.POSTGRESQL, "hes_recheck");
    }
  }
}
