package istanbul.hes.violation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.NodeProcess;
import istanbul.hes.testing.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Node processes recording and delivering violations, stopped the two ways an operator's node
 * stops: SIGTERM (every tap in flight is answered, its record written, before the process exits)
 * and SIGKILL (20 times at random moments of delivery: no acknowledged denial is missing at the
 * receiver once a node runs again).
 */
class ViolationCrashIT {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Pattern PENDING = Pattern.compile("(?m)^gateway_violation_records_pending\\{[^}]*\\} (\\S+)$");

  @Test
  void onSigtermTheTapsInFlightAreAnsweredAndTheirRecordsWrittenBeforeTheProcessExits() throws Exception {
    int denials = 40;
    try (TestEnvironment environment = new TestEnvironment(Map.of("node.eventLoopWarningMillis", "2000", "node.id", "sigterm-test"))) {
      environment.migrate();
      CardSeeder seeder = environment.offlineSeeder();
      List<Long> risky = new ArrayList<>();
      for (int i = 0; i < denials; i++) {
        risky.add(seeder.create(CardClass.RISKY));
      }
      NodeProcess node = NodeProcess.start(environment, "sigterm").awaitReady();
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      try (Connection lock = environment.jdbc()) {
        // The outbox is held locked: the records of the taps below cannot be written, so the
        // taps are surely in flight (taken by the recorder, unanswered) when SIGTERM comes.
        lock.setAutoCommit(false);
        lock.createStatement().execute("LOCK TABLE violation_outbox IN EXCLUSIVE MODE");
        for (int i = 0; i < denials; i++) {
          answers.add(HTTP.sendAsync(tap(environment, node, risky.get(i), "SIGTERM-" + i), HttpResponse.BodyHandlers.ofString()));
        }
        Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> pendingRecords(node) == denials);
        assertThat(answers).noneMatch(CompletableFuture::isDone);

        node.signalStop();
        // Out of rotation at once, while the taps in flight wait for their records.
        Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(10)).until(() -> readiness(node) == 503);
        lock.rollback();
      }

      int exit = node.awaitExit(Duration.ofSeconds(30));
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("reason")).isEqualTo("HES_RISK");
      }
      assertThat(environment.column("SELECT count(*) || ' ' || sum(taps) FROM violation_outbox WHERE validator LIKE 'SIGTERM-%'"))
          .containsExactly(denials + " " + denials);
      assertThat(exit).as("exit code after SIGTERM (log %s)", node.log()).isEqualTo(143);
      assertThat(node.logText()).contains("stopping").doesNotContain("did not stop");
    }
  }

  @Test
  void killedTwentyTimesDuringDeliveryNoAcknowledgedDenialIsMissingAtTheReceiver() throws Exception {
    Vertx vertx = Vertx.vertx();
    InteriorMinistrySimulator ministry = new InteriorMinistrySimulator("127.0.0.1", 0, "municipality", "secret");
    Await.result(vertx.deployVerticle(ministry));
    Map<String, String> settings = new HashMap<>(Map.of("ministryInterior.baseUrl", ministry.baseUrl(),
        "ministryInterior.username", "municipality", "ministryInterior.password", "secret",
        "ministryInterior.batchSize", "25", "ministryInterior.pollMillis", "20", "ministryInterior.timeoutMillis", "2000",
        "ministryInterior.leaseSeconds", "2", "ministryInterior.backoffBaseMillis", "20", "ministryInterior.backoffCapMillis", "200"));
    settings.putAll(Map.of("ministryInterior.maxAttempts", "1000", "ministryInterior.breakerResetMillis", "200",
        "node.eventLoopWarningMillis", "2000", "node.id", "violation-crash-test"));
    try (TestEnvironment environment = new TestEnvironment(settings)) {
      environment.migrate();
      CardSeeder seeder = environment.offlineSeeder();
      List<Long> risky = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        risky.add(seeder.create(CardClass.RISKY));
      }
      // Every call spends 40 ms at the ministry, so most kills land while a batch is out.
      ministry.faults(Faults.slow(40));
      Random random = new Random(2026);
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger validators = new AtomicInteger();
      int killedWithBatchOut = 0;
      for (int kill = 1; kill <= 20; kill++) {
        NodeProcess node = NodeProcess.start(environment, "kill-" + kill).awaitReady();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1200));
        List<CompletableFuture<?>> taps = new ArrayList<>();
        while (System.nanoTime() < until) {
          // Every tap its own report (a validator of its own), so each acknowledged denial is checked by itself.
          long card = risky.get(random.nextInt(risky.size()));
          String validator = "CRASH-" + validators.incrementAndGet();
          taps.add(HTTP.sendAsync(tap(environment, node, card, validator), HttpResponse.BodyHandlers.ofString())
              .thenAccept(response -> {
                if (response.statusCode() == 200 && response.body().contains("HES_RISK")) {
                  acknowledged.add(CardNumber.format(card) + "|" + validator);
                }
              }));
          if (taps.size() % 8 == 0) {
            CompletableFuture.allOf(taps.subList(taps.size() - 8, taps.size()).toArray(CompletableFuture[]::new))
                .exceptionally(ignored -> null).join();
          }
        }
        if (!environment.column("SELECT 1 FROM violation_outbox WHERE state = 'SENDING' LIMIT 1").isEmpty()) {
          killedWithBatchOut++;
        }
        node.kill();
        CompletableFuture.allOf(taps.toArray(CompletableFuture[]::new)).exceptionally(ignored -> null).join();
      }

      ministry.clearFaults();
      NodeProcess last = NodeProcess.start(environment, "final").awaitReady();
      try {
        Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(50))
            .until(() -> environment.column("SELECT 1 FROM violation_outbox WHERE state <> 'DELIVERED' LIMIT 1").isEmpty());
      } finally {
        last.stop();
      }

      Map<String, Set<String>> idsByReport = new HashMap<>();
      ministry.received().forEach((id, received) -> idsByReport
          .computeIfAbsent(received.violation().getString("card") + "|" + received.violation().getString("validator"),
              key -> new HashSet<>()).add(id));
      assertThat(acknowledged).as("denials acknowledged").hasSizeGreaterThan(200);
      for (String report : acknowledged) {
        assertThat(idsByReport.get(report)).as("acknowledged denial %s at the receiver, under one id", report).hasSize(1);
      }
      List<String> outbox = environment.column("SELECT id::text FROM violation_outbox");
      assertThat(ministry.received().keySet()).containsExactlyInAnyOrderElementsOf(outbox);
      assertThat(killedWithBatchOut).as("kills while a batch was out").isGreaterThanOrEqualTo(5);
      System.out.printf("violation crash test: %d acknowledged denials, %d reports, %d kills with a batch out, %d ids received again%n",
          acknowledged.size(), outbox.size(), killedWithBatchOut, ministry.repeatedIds());
    } finally {
      Await.result(vertx.close());
    }
  }

  private static HttpRequest tap(TestEnvironment environment, NodeProcess node, long card, String validator) {
    String body = new JsonObject().put("card", CardNumber.format(card)).put("validator", validator)
        .put("at", Instant.now().toString()).encode();
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.tapPort() + "/v1/taps"))
        .header("Authorization", "Bearer " + environment.clusterToken())
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static int readiness(NodeProcess node) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception unreachable) {
      return -1;
    }
  }

  private static long pendingRecords(NodeProcess node) throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher matcher = PENDING.matcher(metrics);
    return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
  }
}
