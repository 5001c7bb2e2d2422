package istanbul.hes.violation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.TestEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery gives way to a rush of denials at its node, and only to one. */
class ViolationDeliveryYieldTest {
  private static final int POLL_MILLIS = 400;
  private static final int BATCH = 5;
  private static final int REPORTS = 4 * BATCH;
  private Vertx vertx;
  private InteriorMinistrySimulator ministry;
  private TestEnvironment environment;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ministry = new InteriorMinistrySimulator("127.0.0.1", 0, "municipality", "secret");
    Await.result(vertx.deployVerticle(ministry));
    environment = new TestEnvironment(Map.of("ministryInterior.baseUrl", ministry.baseUrl(), "ministryInterior.username", "municipality",
        "ministryInterior.password", "secret", "ministryInterior.pollMillis", String.valueOf(POLL_MILLIS),
        "ministryInterior.batchSize", String.valueOf(BATCH), "ministryInterior.yieldAboveDenialsPerSecond", "1000"));
    environment.migrate();
    environment.sql("INSERT INTO violation_outbox (id, card_no, validator, window_start, first_at, last_at, taps) "
        + "SELECT gen_random_uuid(), 4000000000000000 + g, 'GATE-1', now(), now(), now(), 1 FROM generate_series(1, " + REPORTS + ") g");
  }

  @AfterEach
  void stop() {
    environment.close();
    Await.result(vertx.close());
  }

  /** Deploys delivery with this count of recorded denials; returns the milliseconds until every report was delivered. */
  private long deliverAll(LongSupplier denialsRecorded) {
    long started = System.nanoTime();
    Await.result(vertx.deployVerticle(new ViolationDeliveryVerticle(environment.config().ministryInterior(), environment.pool(),
        environment.identityProtector(), meters, DependencyFailures.standalone(), denialsRecorded)));
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> ministry.received().size() == REPORTS);
    return (System.nanoTime() - started) / 1_000_000;
  }

  private double yields() {
    return meters.get("gateway_violation_delivery_yields").counter().count();
  }

  @Test
  void whileTheNodeRecordsARushFullBatchesGoOnePerPollInterval() {
    AtomicLong recorded = new AtomicLong();
    // Each round finds a million more denials recorded: far above the 1,000/s threshold.
    long millis = deliverAll(() -> recorded.addAndGet(1_000_000));
    assertThat(yields()).as("rounds that gave way").isGreaterThanOrEqualTo(3);
    assertThat(millis).as("four full batches, three pauses between them").isGreaterThanOrEqualTo(3L * POLL_MILLIS);
    assertThat(ministry.repeatedIds()).isZero();
  }

  @Test
  void withoutARushFullBatchesFollowEachOtherAtOnce() {
    deliverAll(() -> 42);
    assertThat(yields()).isZero();
    assertThat(ministry.repeatedIds()).isZero();
  }
}
