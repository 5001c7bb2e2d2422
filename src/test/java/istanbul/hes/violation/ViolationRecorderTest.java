package istanbul.hes.violation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import istanbul.hes.config.ViolationsConfig;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.TestEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Denials recorded in the outbox: one report per card, validator and window, written in groups. */
class ViolationRecorderTest {
  private static TestEnvironment environment;
  private static Vertx vertx;

  @BeforeAll
  static void prepare() {
    environment = new TestEnvironment();
    environment.migrate();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
    environment.close();
  }

  private static ViolationRecorder recorder(int millis, int maxRecords) {
    return recorder(millis, maxRecords, 1);
  }

  private static ViolationRecorder recorder(int millis, int maxRecords, int writers) {
    return new ViolationRecorder(vertx, environment.pool(), new ViolationsConfig(60, millis, maxRecords, writers));
  }

  private static long card() {
    return environment.offlineSeeder().create(CardClass.RISKY);
  }

  @Test
  void drainWritesTheRecordsTakenSoFarAndCompletesWhenTheyAreCommitted() {
    // A pause longer than the test waits for anything: only the drain writes this group.
    ViolationRecorder recorder = recorder(1_000, 500);
    Await.result(recorder.drain());
    List<Long> cards = List.of(card(), card(), card());
    List<Future<Void>> written = new ArrayList<>();
    for (long card : cards) {
      written.add(recorder.record(card, "M2-TAKSIM-07", Instant.parse("2026-11-21T08:00:00Z")));
    }
    assertThat(recorder.pending()).isEqualTo(3);

    Await.result(recorder.drain());
    assertThat(written).allMatch(Future::succeeded);
    assertThat(recorder.pending()).isZero();
    assertThat(environment.column("SELECT count(*) FROM violation_outbox WHERE card_no IN (" + cards.get(0) + "," + cards.get(1)
        + "," + cards.get(2) + ")")).containsExactly("3");
  }

  @Test
  void aRecordIsSettledOnTheEventLoopOfTheTapThatAsked() {
    ViolationRecorder recorder = recorder(2, 500);
    long card = card();
    Context tapLoop = vertx.getOrCreateContext();
    Promise<Context> settledOn = Promise.promise();
    tapLoop.runOnContext(ignored -> recorder.record(card, "M2-TAKSIM-07", Instant.parse("2026-11-21T08:00:00Z"))
        .onComplete(done -> settledOn.complete(Vertx.currentContext())));
    assertThat(Await.result(settledOn.future())).isSameAs(tapLoop);
  }

  @Test
  void withoutAPauseAnIdleWriterWritesAtOnceAndNoStatementHoldsMoreThanTheLimit() {
    ViolationRecorder recorder = recorder(0, 2);
    List<Long> cards = List.of(card(), card(), card(), card(), card());
    List<Future<Void>> written = new ArrayList<>();
    for (long card : cards) {
      written.add(recorder.record(card, "M2-TAKSIM-07", Instant.parse("2026-11-21T08:00:00Z")));
    }
    Await.result(Future.all(written));
    // The first alone (the writer was idle), the four that came meanwhile in statements of two.
    assertThat(recorder.groupsWritten()).isGreaterThanOrEqualTo(3);
    assertThat(recorder.recordsWritten()).isEqualTo(5);
  }

  @Test
  void tapsOfACardAtAValidatorWithinAWindowAreOneReportWithItsCount() {
    ViolationRecorder recorder = recorder(2, 500);
    long card = card();
    Instant window = Instant.parse("2026-11-21T08:00:00Z");
    Await.result(recorder.record(card, "M2-TAKSIM-07", window.plusSeconds(5)));
    Await.result(recorder.record(card, "M2-TAKSIM-07", window.plusSeconds(50)));
    Await.result(Future.all(recorder.record(card, "M2-TAKSIM-07", window.plusSeconds(30)),
        recorder.record(card, "M2-TAKSIM-08", window.plusSeconds(30)),
        recorder.record(card, "M2-TAKSIM-07", window.plusSeconds(61))));

    List<String> rows = environment.column("SELECT validator || ' ' || taps || ' ' || to_char(first_at AT TIME ZONE 'UTC', 'MI:SS') "
        + "|| '-' || to_char(last_at AT TIME ZONE 'UTC', 'MI:SS') || ' ' || state || ' ' || (identity_enc IS NOT NULL) || ' ' "
        + "|| (hes_code_enc IS NOT NULL) FROM violation_outbox WHERE card_no = " + card + " ORDER BY window_start, validator");
    assertThat(rows).containsExactly(
        "M2-TAKSIM-07 3 00:05-00:50 PENDING true true",
        "M2-TAKSIM-08 1 00:30-00:30 PENDING true true",
        "M2-TAKSIM-07 1 01:01-01:01 PENDING true true");
  }

  @Test
  void aTapAfterItsReportWasDeliveredStartsANewReportInTheSameWindow() {
    ViolationRecorder recorder = recorder(2, 500);
    long card = card();
    Instant at = Instant.parse("2026-11-21T09:00:10Z");
    Await.result(recorder.record(card, "BUS-34-1", at));
    environment.sql("UPDATE violation_outbox SET state = 'DELIVERED' WHERE card_no = " + card);
    Await.result(recorder.record(card, "BUS-34-1", at.plusSeconds(1)));
    assertThat(environment.column("SELECT state || ' ' || taps FROM violation_outbox WHERE card_no = " + card + " ORDER BY recorded_at"))
        .containsExactly("DELIVERED 1", "PENDING 1");
  }

  @ParameterizedTest(name = "{0} writers")
  @ValueSource(ints = {1, 3})
  void aRushIsWrittenInGroupsAndEveryDenialIsCommittedBeforeItsFutureCompletes(int writers) {
    ViolationRecorder recorder = recorder(5, 200, writers);
    List<Long> cards = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      cards.add(card());
    }
    List<Future<Void>> recorded = new ArrayList<>();
    Instant at = Instant.parse("2026-11-21T10:00:00Z");
    for (int tap = 0; tap < 2_000; tap++) {
      recorded.add(recorder.record(cards.get(tap % cards.size()), "GATE-" + (tap % 50), at.plusMillis(tap)));
    }
    Await.result(Future.all(recorded));

    assertThat(recorder.recordsWritten()).isEqualTo(2_000);
    assertThat(recorder.recordsFailed()).isZero();
    assertThat(recorder.groupsWritten()).as("group commit").isLessThanOrEqualTo(2_000 / 100);
    String list = String.join(",", cards.stream().map(String::valueOf).toList());
    assertThat(environment.column("SELECT sum(taps) FROM violation_outbox WHERE card_no IN (" + list + ")")).containsExactly("2000");
    assertThat(environment.column("SELECT count(*) FROM violation_outbox WHERE card_no IN (" + list + ")"))
        .as("one report per card and validator").containsExactly("100");
  }

  @Test
  void whenTheRecordCannotBeWrittenTheFutureFails() {
    TestEnvironment gone = new TestEnvironment();
    gone.migrate();
    ViolationRecorder recorder = new ViolationRecorder(vertx, gone.pool(), new ViolationsConfig(60, 2, 500, 1));
    gone.sql("DROP TABLE violation_outbox");
    Throwable failure = Await.failure(recorder.record(4_000_000_000_000_001L, "GATE-1", Instant.now()));
    assertThat(failure).isNotNull();
    gone.close();
  }
}
