package istanbul.hes.violation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import istanbul.hes.http.OutboundTrust;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.MinistryInteriorConfig;
import istanbul.hes.identity.IdentityProtector;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the violation outbox to the Ministry of Interior, at least once, nothing lost: claims
 * due reports ({@code FOR UPDATE SKIP LOCKED}, so nodes share the work), posts them in one batch
 * with each report's id as its idempotency key, marks delivered exactly the ids the ministry
 * accepted, and gives every other report its own next attempt (full jitter) or, past the attempt
 * or age limit, the dead-letter state. Calls go through a circuit breaker; a claim is a lease, so
 * a node that dies mid-delivery leaves its batch to be taken again.
 *
 * <p>Delivery gives way to a rush: a full batch is followed at once by the next, except while this
 * node records denials faster than {@code ministryInterior.yieldAboveDenialsPerSecond}. Then one
 * batch goes per poll interval, because a delivered report costs PostgreSQL about as much as
 * recording one (two updates against one insert) and each denial's tap waits for its record,
 * while the report may follow seconds later.
 */
public final class ViolationDeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ViolationDeliveryVerticle.class);
  static final String PATH = "/v1/violations";

  private final MinistryInteriorConfig config;
  private final DependencyFailures failures;
  /** A round fails every poll while PostgreSQL or the ministry is down: one line per interval. */
  private final ThrottledLog failureLog;
  private final Pool pool;
  private final IdentityProtector protector;
  private final Counter delivered;
  private final Counter retried;
  private final Counter deadLettered;
  private final Timer latency;
  private final Counter yields;
  /** Denials this node has recorded so far, and where the previous round found the count. */
  private final LongSupplier denialsRecorded;
  private long denialsAtLastRound;
  private long lastRoundNanos = System.nanoTime();
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong oldestSeconds = new AtomicLong();
  private WebClient client;
  private CircuitBreaker breaker;
  private volatile boolean stopped;
  private Future<?> round = Future.succeededFuture();
  private long timer = -1;
  private long gauges = -1;

  /** @param denialsRecorded the node's count of recorded denials (its recorder's), the measure of a rush */
  public ViolationDeliveryVerticle(MinistryInteriorConfig config, Pool pool, IdentityProtector protector, MeterRegistry meters,
      DependencyFailures failures, LongSupplier denialsRecorded) {
    this.denialsRecorded = denialsRecorded;
    this.denialsAtLastRound = denialsRecorded.getAsLong();
    this.failures = failures;
    this.failureLog = failures.throttled(LOG);
    this.config = config;
    this.pool = pool;
    this.protector = protector;
    delivered = Counter.builder("gateway_violations_delivered").description("Violation reports the ministry accepted").register(meters);
    retried = Counter.builder("gateway_violations_retried").description("Violation reports to be sent again").register(meters);
    deadLettered = Counter.builder("gateway_violations_dead_lettered")
        .description("Violation reports given up (attempt or age limit): ALERT, see /admin/v1/violations/dead").register(meters);
    yields = Counter.builder("gateway_violation_delivery_yields")
        .description("Delivery rounds that waited a poll interval for a rush of denials (ministryInterior.yieldAboveDenialsPerSecond)")
        .register(meters);
    latency = Timer.builder("gateway_violation_delivery").description("From recording a report to its acceptance")
        .publishPercentileHistogram().register(meters);
    Gauge.builder("gateway_violation_outbox_depth", depth, AtomicLong::get)
        .description("Violation reports not delivered yet").register(meters);
    Gauge.builder("gateway_violation_outbox_oldest_seconds", oldestSeconds, AtomicLong::get)
        .description("Age of the oldest undelivered violation report").register(meters);
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx, OutboundTrust.apply(new WebClientOptions(), config.trustFile()).setUserAgent("hes-gateway").setConnectTimeout(config.timeoutMillis())
        .setMetricsName("ministry-interior"));
    breaker = CircuitBreaker.create("ministry-interior", vertx, new CircuitBreakerOptions()
        .setMaxFailures(config.breakerFailures()).setTimeout(config.timeoutMillis()).setResetTimeout(config.breakerResetMillis())
        .setMaxRetries(0));
    gauges = vertx.setPeriodic(0, 5_000, id -> refreshDepth());
    schedule(0);
    return Future.succeededFuture();
  }

  /**
   * Lets the round in flight finish (bounded by the call's timeout) so the ministry's answer is
   * recorded: a batch abandoned mid-call would only be sent again after its lease.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(gauges);
    return round.otherwiseEmpty().eventually(() -> {
      breaker.close();
      client.close();
      return Future.succeededFuture();
    });
  }

  private void schedule(long delayMillis) {
    if (!stopped) {
      timer = delayMillis <= 0 ? vertx.setTimer(1, id -> deliverBatch()) : vertx.setTimer(delayMillis, id -> deliverBatch());
    }
  }

  private void deliverBatch() {
    if (breaker.state() == CircuitBreakerState.OPEN) {
      // The ministry is failing: claim nothing (a refused call must not use up an attempt) until the breaker probes it again.
      schedule(config.pollMillis());
      return;
    }
    round = pool.preparedQuery(ViolationSql.CLAIM).execute(Tuple.of(config.batchSize(), (double) config.leaseSeconds()))
        .compose(claimed -> claimed.size() == 0 ? Future.succeededFuture(0)
            : vertx.executeBlocking(() -> payload(claimed), false).compose(this::send).map(claimed.size()))
        .onComplete(done -> {
          if (done.failed()) {
            if (DependencyFailures.postgresqlUnavailable(done.cause())) {
              failures.count(DependencyFailures.Dependency.POSTGRESQL, "violation_delivery");
            }
            failureLog.warn("round", "violation delivery round failed: {}", DependencyFailures.summary(done.cause()));
          }
          boolean full = done.succeeded() && done.result() >= config.batchSize();
          schedule(full && !givingWayToARush() ? 0 : config.pollMillis());
        });
  }

  /** Whether this node recorded denials faster than the yield threshold since the previous round (counted when so). */
  private boolean givingWayToARush() {
    long now = System.nanoTime();
    long recorded = denialsRecorded.getAsLong();
    double perSecond = (recorded - denialsAtLastRound) * 1e9 / Math.max(1, now - lastRoundNanos);
    denialsAtLastRound = recorded;
    lastRoundNanos = now;
    boolean rush = config.yieldAboveDenialsPerSecond() > 0 && perSecond > config.yieldAboveDenialsPerSecond();
    if (rush) {
      yields.increment();
    }
    return rush;
  }

  private record Batch(JsonObject body, List<UUID> ids) {}

  /** On a worker: the reports as the ministry wants them, identity and HES code decrypted. */
  private Batch payload(RowSet<Row> claimed) {
    JsonArray violations = new JsonArray();
    List<UUID> ids = new ArrayList<>(claimed.size());
    for (Row row : claimed) {
      UUID id = row.getUUID(0);
      ids.add(id);
      violations.add(new JsonObject()
          .put("id", id.toString())
          .put("identity", identity(row))
          .put("card", CardNumber.format(row.getLong(1)))
          .put("hesCode", row.getBuffer(8) == null ? null : protector.decrypt(row.getBuffer(8).getBytes()))
          .put("validator", row.getString(2))
          .put("at", row.getOffsetDateTime(3).toInstant().toString())
          .put("taps", row.getInteger(4))
          .put("reason", "HES_RISK"));
    }
    return new Batch(new JsonObject().put("violations", violations), ids);
  }

  /** A TCKN, or NAT:PASSPORT; "unknown" when the card had no holder when the denial was recorded. */
  private String identity(Row row) {
    if (row.getBuffer(7) == null) {
      return "unknown";
    }
    String number = protector.decrypt(row.getBuffer(7).getBytes());
    return "PASSPORT".equals(row.getString(5)) ? row.getString(6) + ":" + number : number;
  }

  private Future<Void> send(Batch batch) {
    return breaker.<HttpResponse<Buffer>>execute(promise -> client.postAbs(config.baseUrl() + PATH)
            .basicAuthentication(config.username(), config.password())
            .timeout(config.timeoutMillis())
            .sendJsonObject(batch.body())
            .expecting(HttpResponseExpectation.SC_OK.and(HttpResponseExpectation.JSON))
            .onComplete(promise))
        .map(response -> accepted(response, batch.ids()))
        .recover(failure -> Future.succeededFuture(new Accepted(Set.of(), failure.getClass().getSimpleName() + ": " + failure.getMessage())))
        .compose(accepted -> record(batch.ids(), accepted));
  }

  private record Accepted(Set<UUID> ids, String error) {}

  private static Accepted accepted(HttpResponse<Buffer> response, List<UUID> sent) {
    JsonArray list = response.bodyAsJsonObject().getJsonArray("accepted", new JsonArray());
    Set<UUID> ours = new HashSet<>(sent);
    Set<UUID> accepted = new HashSet<>();
    for (Object id : list) {
      try {
        UUID uuid = UUID.fromString(String.valueOf(id));
        if (ours.contains(uuid)) {
          accepted.add(uuid);
        }
      } catch (IllegalArgumentException notAnId) {
        // Not one of ours: ignored, the report stays due.
      }
    }
    return new Accepted(accepted, accepted.size() == sent.size() ? null : "not accepted by the ministry");
  }

  private Future<Void> record(List<UUID> sent, Accepted accepted) {
    List<UUID> rest = sent.stream().filter(id -> !accepted.ids().contains(id)).toList();
    Future<Void> done = accepted.ids().isEmpty() ? Future.succeededFuture()
        : pool.preparedQuery(ViolationSql.DELIVERED).execute(Tuple.of(accepted.ids().toArray(UUID[]::new))).map(rows -> {
          for (Row row : rows) {
            latency.record(Duration.between(row.getOffsetDateTime(0), OffsetDateTime.now()));
          }
          delivered.increment(rows.rowCount());
          return null;
        });
    if (rest.isEmpty()) {
      return done;
    }
    return done.compose(ignored -> pool.preparedQuery(ViolationSql.RETRY).execute(Tuple.tuple()
            .addValue(rest.toArray(UUID[]::new))
            .addValue(accepted.error())
            .addValue(config.maxAttempts())
            .addValue((double) config.maxAgeSeconds())
            .addValue((double) config.backoffBaseMillis())
            .addValue((double) config.backoffCapMillis())))
        .map(rows -> {
          for (Row row : rows) {
            if ("DEAD".equals(row.getString(0))) {
              deadLettered.increment();
            } else {
              retried.increment();
            }
          }
          return null;
        });
  }

  private void refreshDepth() {
    pool.query(ViolationSql.DEPTH).execute().onSuccess(rows -> {
      Row row = rows.iterator().next();
      depth.set(row.getLong(0));
      oldestSeconds.set(row.getNumeric(1).longValue());
    });
  }
}
