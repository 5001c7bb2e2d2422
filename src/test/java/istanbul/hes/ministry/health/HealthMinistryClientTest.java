package istanbul.hes.ministry.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import istanbul.hes.config.MinistryHealthConfig;
import istanbul.hes.ministry.health.MinistryUnavailable.Reason;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeRecord;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real simulator on a random port: answers, masking, faults, retries, breaker. */
class HealthMinistryClientTest {
  private static final String USER = "institution-34";
  private static final String PASSWORD = "s1mulated-ministry-pass";
  /** Generous, so that a cold first call on a busy machine is never retried by accident. */
  // Generous, so that a cold first call on a busy machine is never taken for a timeout and retried.
  private static final int TIMEOUT = 10_000;
  private static final int FAST_FAILURE_MILLIS = 2_000;
  /** For the slow-ministry test only. */
  private static final int SHORT_TIMEOUT = 300;
  private static final int RETRIES = 2;
  private static final int BACKOFF = 20;
  private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Istanbul"));

  private Vertx vertx;
  private HealthMinistrySimulator simulator;
  private final List<HealthMinistryClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new HealthMinistrySimulator("127.0.0.1", 0, USER, PASSWORD);
    Await.result(vertx.deployVerticle(simulator));
  }

  @AfterEach
  void stop() {
    clients.forEach(HealthMinistryClient::close);
    Await.result(vertx.close());
  }

  private MinistryHealthConfig config(String password, int retries, int breakerFailures, long breakerResetMillis, int batchSize) {
    return config(TIMEOUT, password, retries, breakerFailures, breakerResetMillis, batchSize);
  }

  private MinistryHealthConfig config(int timeout, String password, int retries, int breakerFailures, long breakerResetMillis,
      int batchSize) {
    return new MinistryHealthConfig(simulator.baseUrl(), USER, password, timeout, retries, BACKOFF,
        breakerFailures, breakerResetMillis, batchSize);
  }

  private HealthMinistryClient client(MinistryHealthConfig config) {
    HealthMinistryClient client = new HealthMinistryClient(vertx, config);
    clients.add(client);
    return client;
  }

  private HealthMinistryClient client() {
    return client(config(PASSWORD, RETRIES, 100, 10_000, 500));
  }

  private HesCodeRecord person(Status status, LocalDateTime expiresAt) {
    return simulator.issue(Pii.register(CardSeeder.syntheticTckn()), "Deniz", "Yılmaz", status, expiresAt);
  }

  private HesCodeRecord validPerson() {
    return person(Status.RISKLESS, TODAY.plusDays(30).atStartOfDay());
  }

  private static MinistryUnavailable unavailable(Throwable failure) {
    assertThat(failure).isInstanceOf(MinistryUnavailable.class);
    return (MinistryUnavailable) failure;
  }

  @Test
  void aValidCodeComesBackMaskedAsSent() {
    HesCodeRecord record = validPerson();

    HesCheck check = Await.result(client().check(record.hesCode()));

    String identity = record.identityNumber();
    assertThat(check.hesCode()).isEqualTo(record.hesCode());
    assertThat(check.status()).isEqualTo(HealthStatus.RISKLESS);
    assertThat(check.risky()).isFalse();
    assertThat(check.maskedIdentityNumber()).isEqualTo("********" + identity.substring(8)).hasSize(11);
    assertThat(check.maskedFirstName()).isEqualTo("DE***");
    assertThat(check.maskedLastName()).isEqualTo("YI****");
    assertThat(check.expiresOn()).contains(TODAY.plusDays(30));
    assertThat(check.toString()).doesNotContain(record.hesCode(), identity.substring(8));
    assertThat(simulator.requestCount()).isEqualTo(1);
  }

  @Test
  void aRiskyHolderIsReported() {
    HesCodeRecord record = person(Status.RISKY, TODAY.plusDays(3).atStartOfDay());
    assertThat(Await.result(client().check(record.hesCode())).status()).isEqualTo(HealthStatus.RISKY);

    simulator.setStatus(record.identityNumber(), Status.RISKLESS);
    assertThat(Await.result(client().check(record.hesCode())).status()).isEqualTo(HealthStatus.RISKLESS);
  }

  @Test
  void aFarFutureExpiryMeansNoExpiry() {
    HesCodeRecord record = person(Status.RISKLESS, HesCodeRecord.NO_EXPIRY);
    assertThat(Await.result(client().check(record.hesCode())).expiresOn()).isEmpty();
  }

  @Test
  void anUnknownCodeIsNotFoundAndNotRetried() {
    assertThat(Await.failure(client().check("ZZZZ999999"))).isInstanceOf(HesCodeNotFound.class)
        .hasMessageContaining("ZZZZ******").hasMessageNotContaining("ZZZZ999999");
    assertThat(simulator.requestCount()).as("%s", LogCapture.lines().stream().filter(l -> l.contains("ZZZZ")).toList()).isEqualTo(1);
  }

  @Test
  void anExpiredCodeIsExpiredAndNotRetried() {
    HesCodeRecord record = person(Status.RISKLESS, LocalDateTime.now(ZoneId.of("Europe/Istanbul")).minusMinutes(1));
    assertThat(Await.failure(client().check(record.hesCode()))).isInstanceOf(HesCodeExpired.class);
    assertThat(simulator.requestCount()).isEqualTo(1);
  }

  @Test
  void manyCodesAreCheckedInChunksWithMixedResults() {
    HesCodeRecord valid = validPerson();
    HesCodeRecord risky = person(Status.RISKY, TODAY.plusDays(10).atStartOfDay());
    HesCodeRecord forever = person(Status.RISKLESS, HesCodeRecord.NO_EXPIRY);
    HesCodeRecord expired = person(Status.RISKLESS, TODAY.minusDays(1).atStartOfDay());
    List<String> codes = List.of(valid.hesCode(), risky.hesCode(), forever.hesCode(), expired.hesCode(), "ZZZZ000000",
        valid.hesCode());

    BulkCheck answer = Await.result(client(config(PASSWORD, RETRIES, 100, 10_000, 2)).checkMany(codes));

    assertThat(answer.valid()).containsOnlyKeys(valid.hesCode(), risky.hesCode(), forever.hesCode());
    assertThat(answer.valid().get(risky.hesCode()).status()).isEqualTo(HealthStatus.RISKY);
    assertThat(answer.valid().get(forever.hesCode()).expiresOn()).isEmpty();
    assertThat(answer.valid().get(valid.hesCode()).maskedFirstName()).isEqualTo("DE***");
    assertThat(answer.rejected()).isEqualTo(Map.of(expired.hesCode(), HesCodeRejection.EXPIRED, "ZZZZ000000", HesCodeRejection.NOT_FOUND));
    // 5 distinct codes, 2 per request.
    assertThat(simulator.requestCount()).isEqualTo(3);
  }

  @Test
  void aLargeBulkIsSplitIntoBatches() {
    List<String> codes = IntStream.range(0, 1201).mapToObj(i -> validPerson().hesCode()).toList();
    BulkCheck answer = Await.result(client().checkMany(codes));
    assertThat(answer.valid()).hasSize(1201);
    assertThat(simulator.requestCount()).isEqualTo(3);
    assertThat(Await.result(client().checkMany(List.of())).size()).isZero();
    assertThat(simulator.requestCount()).isEqualTo(3);
  }

  @Test
  void refusedCredentialsAreUnavailableAndLoggedWithoutThePassword() {
    String wrongPassword = "wr0ng-password-never-logged";
    HesCodeRecord record = validPerson();

    Throwable failure = Await.failure(client(config(wrongPassword, RETRIES, 100, 10_000, 500)).check(record.hesCode()));

    assertThat(unavailable(failure).reason()).isEqualTo(Reason.CREDENTIALS_REFUSED);
    assertThat(simulator.requestCount()).as("a refusal is an answer: not retried").isEqualTo(1);
    List<String> lines = LogCapture.lines();
    assertThat(lines).anyMatch(line -> line.contains("refused the institution's credentials"));
    assertThat(lines).noneMatch(line -> line.contains(wrongPassword) || line.contains(PASSWORD) || line.contains(record.hesCode()));
  }

  @Test
  void aMinistryThatIsDownFailsFastAfterItsRetries() {
    HesCodeRecord record = validPerson();
    simulator.faults(Faults.goDown());

    long started = System.nanoTime();
    Throwable failure = Await.failure(client().check(record.hesCode()));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(unavailable(failure).reason()).isEqualTo(Reason.CONNECTION);
    assertThat(simulator.requestCount()).isEqualTo(RETRIES + 1);
    assertThat(elapsedMillis).as("no waiting for the timeout").isLessThan(FAST_FAILURE_MILLIS);
    assertThat(LogCapture.lines()).noneMatch(line -> line.contains(record.hesCode()))
        .anyMatch(line -> line.contains(HesCodes.mask(record.hesCode())));
  }

  @Test
  void aSlowMinistryTimesOutWithinTheBoundOfAllAttempts() {
    HesCodeRecord record = validPerson();
    simulator.faults(Faults.slow(5_000));
    HealthMinistryClient client = client(config(SHORT_TIMEOUT, PASSWORD, RETRIES, 100, 10_000, 500));

    long started = System.nanoTime();
    Throwable failure = Await.failure(client.check(record.hesCode()));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(unavailable(failure).reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(simulator.requestCount()).isEqualTo(RETRIES + 1);
    // Three bounded attempts, two short backoffs, and a margin for a busy machine.
    assertThat(elapsedMillis).isBetween((long) SHORT_TIMEOUT * (RETRIES + 1), (long) SHORT_TIMEOUT * (RETRIES + 1) + 1_500);
  }

  @Test
  void serverErrorsAreRetriedUntilTheFaultClears() {
    HesCodeRecord record = validPerson();
    simulator.faults(Faults.error5xx(503, 1.0, 2));

    HesCheck check = Await.result(client().check(record.hesCode()));

    assertThat(check.hesCode()).isEqualTo(record.hesCode());
    assertThat(simulator.requestCount()).isEqualTo(3);
  }

  @Test
  void persistentServerErrorsEndAsUnavailable() {
    HesCodeRecord record = validPerson();
    simulator.faults(Faults.error5xx(500));

    assertThat(unavailable(Await.failure(client().check(record.hesCode()))).reason()).isEqualTo(Reason.SERVER_ERROR);
    assertThat(simulator.requestCount()).isEqualTo(RETRIES + 1);
  }

  @Test
  void bulkChecksAreRetriedToo() {
    HesCodeRecord record = validPerson();
    simulator.faults(Faults.error5xx(502, 1.0, 1));
    assertThat(Await.result(client().checkMany(List.of(record.hesCode()))).valid()).containsOnlyKeys(record.hesCode());
    assertThat(simulator.requestCount()).isEqualTo(2);
  }

  @Test
  void aResetConnectionIsUnavailable() {
    HesCodeRecord record = validPerson();
    simulator.faults(Faults.resetConnections());

    assertThat(unavailable(Await.failure(client().check(record.hesCode()))).reason()).isEqualTo(Reason.CONNECTION);
    assertThat(simulator.requestCount()).isEqualTo(RETRIES + 1);
  }

  @Test
  void theBreakerOpensAfterTheConfiguredFailuresAndHalfOpensAfterItsResetTime() {
    HesCodeRecord record = validPerson();
    HealthMinistryClient client = client(config(PASSWORD, 0, 3, 500, 500));
    simulator.faults(Faults.error5xx(503));

    for (int i = 0; i < 3; i++) {
      assertThat(unavailable(Await.failure(client.check(record.hesCode()))).reason()).isEqualTo(Reason.SERVER_ERROR);
    }
    assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.OPEN);
    long started = System.nanoTime();
    assertThat(unavailable(Await.failure(client.check(record.hesCode()))).reason()).isEqualTo(Reason.BREAKER_OPEN);
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(100);
    assertThat(simulator.requestCount()).as("the open breaker does not call the ministry").isEqualTo(3);

    simulator.clearFaults();
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> client.breakerState() == CircuitBreakerState.HALF_OPEN);
    assertThat(Await.result(client.check(record.hesCode())).hesCode()).isEqualTo(record.hesCode());
    assertThat(simulator.requestCount()).isEqualTo(4);
    assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void answersAboutTheCodeDoNotOpenTheBreaker() {
    HealthMinistryClient client = client(config(PASSWORD, 0, 2, 10_000, 500));
    for (int i = 0; i < 4; i++) {
      assertThat(Await.failure(client.check("ZZZZ00000" + i))).isInstanceOf(HesCodeNotFound.class);
    }
    assertThat(client.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void anUnconfiguredMinistryIsUnavailable() {
    HealthMinistryClient client = client(config(PASSWORD, RETRIES, 5, 10_000, 500).withBaseUrl(""));
    assertThat(unavailable(Await.failure(client.check("G1B5644915"))).reason()).isEqualTo(Reason.NOT_CONFIGURED);
    assertThat(unavailable(Await.failure(client.checkMany(List.of("G1B5644915")))).reason()).isEqualTo(Reason.NOT_CONFIGURED);
  }

  @Test
  void codesAreMaskedToTheirFirstFourCharacters() {
    assertThat(HesCodes.mask("G1B5644915")).isEqualTo("G1B5******");
    assertThat(HesCodes.mask("ABC")).isEqualTo("***");
    assertThat(Optional.ofNullable(HesCodes.mask(null))).contains("null");
  }
}
