package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The map file across starts, with real files and a real PostgreSQL: warm start, catch-up,
 * rebuild of missing or damaged files, recovery after an unclean stop, readiness while loading.
 * Every test has its own schema and data folder, and starts from a population seeded while no
 * node ran.
 */
class MapLifecycleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestEnvironment environment;
  private final Map<CardClass, Long> oneOfEach = new EnumMap<>(CardClass.class);
  private long population;

  @BeforeEach
  void seedPopulation() {
    environment = new TestEnvironment();
    environment.migrate();
    CardSeeder seeder = environment.offlineSeeder();
    List<CardClass> kinds = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      kinds.add(CardClass.values()[i % CardClass.values().length]);
    }
    List<Long> cards = seeder.create(kinds);
    for (CardClass kind : CardClass.values()) {
      oneOfEach.put(kind, cards.get(kind.ordinal()));
    }
    population = cards.size();
  }

  @AfterEach
  void dropEverything() {
    environment.close();
  }

  /** Starts a node on the environment, stops it cleanly: leaves a clean, complete map file. */
  private void runOnce() {
    TestNode first = environment.startNode();
    assertThat(first.mapEntries()).isEqualTo(population);
    first.stop();
  }

  /** The operators' full consistency check: every card of PostgreSQL in the map, as PostgreSQL has it, and no other. */
  private void assertMapAgreesWithPostgres(TestNode node) {
    JsonObject report = node.consistency("full");
    long cardsInPostgres = Long.parseLong(environment.column("SELECT count(*) FROM cards").get(0));
    assertThat(report.getLong("checked")).as("%s", report).isEqualTo(cardsInPostgres);
    assertThat(report.getLong("mismatches")).as("%s", report).isZero();
    assertThat(report.getLong("missingInMap")).as("%s", report).isZero();
    assertThat(report.getLong("extraInMap")).as("%s", report).isZero();
    assertThat(node.mapEntries()).isEqualTo(cardsInPostgres);
  }

  private void assertEveryClassIsAnswered(TestNode node) {
    oneOfEach.forEach((kind, card) -> assertThat(node.reason(card)).as(kind.name()).isEqualTo(kind.reason()));
  }

  private MapLoad restart() {
    TestNode node = environment.startNode();
    MapLoad load = node.awaitLoaded();
    assertMapAgreesWithPostgres(node);
    return load;
  }

  @Test
  void theFirstStartBuildsTheMapFromPostgres() {
    TestNode node = environment.startNode();
    MapLoad load = node.awaitLoaded();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.entries()).isEqualTo(population);
    assertMapAgreesWithPostgres(node);
    assertEveryClassIsAnswered(node);
  }

  @Test
  void aCleanStopIsFollowedByAWarmStart() {
    runOnce();

    TestNode node = environment.startNode();

    MapLoad load = node.awaitLoaded();
    assertThat(load.mode()).isEqualTo(MapLoad.Mode.WARM);
    assertThat(load.caughtUp()).isZero();
    assertMapAgreesWithPostgres(node);
    assertEveryClassIsAnswered(node);
  }

  @Test
  void changesMadeWhileTheNodeWasDownAreCaughtUpOnAWarmStart() {
    runOnce();
    CardSeeder otherNode = environment.offlineSeeder();
    otherNode.setRisky(oneOfEach.get(CardClass.OK), true);
    otherNode.setBlocked(oneOfEach.get(CardClass.NO_HES), true);
    otherNode.setRisky(oneOfEach.get(CardClass.RISKY), false);
    long issued = otherNode.create(CardClass.OK);

    TestNode node = environment.startNode();

    MapLoad load = node.awaitLoaded();
    assertThat(load.mode()).isEqualTo(MapLoad.Mode.WARM);
    assertThat(load.caughtUp()).isEqualTo(4);
    assertMapAgreesWithPostgres(node);
    assertThat(node.reason(oneOfEach.get(CardClass.OK))).isEqualTo("HES_RISK");
    assertThat(node.reason(oneOfEach.get(CardClass.NO_HES))).isEqualTo("CARD_BLOCKED");
    assertThat(node.reason(oneOfEach.get(CardClass.RISKY))).isEqualTo("OK");
    assertThat(node.reason(issued)).isEqualTo("OK");
  }

  @Test
  void aDeletedMapFileIsRebuilt() throws IOException {
    runOnce();
    Files.delete(environment.mapFile());

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("no map file");
  }

  @Test
  void aMapFileTruncatedToHalfIsRebuilt() throws IOException {
    runOnce();
    try (RandomAccessFile file = new RandomAccessFile(environment.mapFile().toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("shorter");
  }

  @Test
  void aMapFileOverwrittenWithGarbageIsRebuilt() throws IOException {
    runOnce();
    Path map = environment.mapFile();
    byte[] garbage = new byte[(int) Files.size(map)];
    RANDOM.nextBytes(garbage);
    Files.write(map, garbage);

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("checksum");
  }

  @Test
  void garbageInTheMiddleOfACleanlyClosedFileIsRebuilt() throws IOException {
    runOnce();
    try (RandomAccessFile file = new RandomAccessFile(environment.mapFile().toFile(), "rw")) {
      byte[] garbage = new byte[4096];
      RANDOM.nextBytes(garbage);
      file.seek(file.length() / 2);
      file.write(garbage);
    }

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("checksum");
  }

  @Test
  void anUnreadableStateFileIsRebuilt() throws IOException {
    runOnce();
    Files.writeString(environment.mapStateFile(), "{not json");

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
  }

  @Test
  void aMapLeftOpenIsRecoveredAndCheckedAgainstPostgres() throws Exception {
    runOnce();
    markUnclean();
    long changedMeanwhile = oneOfEach.get(CardClass.OK);
    environment.offlineSeeder().setBlocked(changedMeanwhile, true);
    // A change the map never saw and the change log does not hold (as if the log had been
    // trimmed): only the full check against the cards table can bring it in.
    long unlogged = oneOfEach.get(CardClass.EXPIRED);
    environment.sql("UPDATE cards SET risky = true, status_version = nextval('card_status_version_seq') WHERE card_no = " + unlogged);

    TestNode node = environment.startNode();

    MapLoad load = node.awaitLoaded();
    assertThat(load.mode()).isEqualTo(MapLoad.Mode.RECOVERED);
    assertThat(load.repaired()).isGreaterThanOrEqualTo(2);
    assertMapAgreesWithPostgres(node);
    assertThat(node.reason(changedMeanwhile)).isEqualTo("CARD_BLOCKED");
    assertThat(node.reason(unlogged)).isEqualTo("HES_RISK");
  }

  @Test
  void aNodeProcessKilledIsRecoveredFromItsWriteMarksAndCaughtUpFromTheChangeLog() throws Exception {
    runOnce();
    leaveAsAKilledProcessWould(CardMapFile.bootId().orElseThrow());
    long changedMeanwhile = oneOfEach.get(CardClass.OK);
    environment.offlineSeeder().setBlocked(changedMeanwhile, true);

    TestNode node = environment.startNode();

    MapLoad load = node.awaitLoaded();
    assertThat(load.mode()).isEqualTo(MapLoad.Mode.RECOVERED);
    assertThat(load.why()).startsWith("process crash: 1 of ").contains("were being written and were recovered");
    assertThat(load.caughtUp()).isGreaterThanOrEqualTo(1);
    assertMapAgreesWithPostgres(node);
    assertThat(node.reason(changedMeanwhile)).isEqualTo("CARD_BLOCKED");
    assertThat(node.reason(oneOfEach.get(CardClass.RISKY))).isEqualTo(CardClass.RISKY.reason());
  }

  @Test
  void aMapLeftOpenBeforeTheHostRestartedIsCheckedCardByCard() throws Exception {
    runOnce();
    leaveAsAKilledProcessWould("00000000-0000-0000-0000-000000000000");
    // A change the map never saw and the change log does not hold: after a host crash, pages of
    // the map not yet on disk can be older than any position the state recorded.
    long unlogged = oneOfEach.get(CardClass.EXPIRED);
    environment.sql("UPDATE cards SET risky = true, status_version = nextval('card_status_version_seq') WHERE card_no = " + unlogged);

    TestNode node = environment.startNode();

    MapLoad load = node.awaitLoaded();
    assertThat(load.mode()).isEqualTo(MapLoad.Mode.RECOVERED);
    assertThat(load.why()).contains("the host restarted");
    assertThat(load.repaired()).isEqualTo(1);
    assertMapAgreesWithPostgres(node);
    assertThat(node.reason(unlogged)).isEqualTo("HES_RISK");
  }

  @Test
  void aCopyTakenWhileTheNodeRanIsRecovered() throws Exception {
    TestNode running = environment.startNode();
    Path copies = Files.createDirectories(environment.dataDirectory().resolve("copies"));
    Path mapCopy = Files.copy(environment.mapFile(), copies.resolve("cards.map"));
    Path stateCopy = Files.copy(environment.mapStateFile(), copies.resolve("cards.map.state"));
    running.stop();
    Files.copy(mapCopy, environment.mapFile(), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(stateCopy, environment.mapStateFile(), StandardCopyOption.REPLACE_EXISTING);
    environment.offlineSeeder().setRisky(oneOfEach.get(CardClass.OK), true);

    TestNode node = environment.startNode();

    MapLoad load = node.awaitLoaded();
    assertThat(load.mode()).isEqualTo(MapLoad.Mode.RECOVERED);
    assertMapAgreesWithPostgres(node);
    assertThat(node.reason(oneOfEach.get(CardClass.OK))).isEqualTo("HES_RISK");
  }

  @Test
  void readinessAndTapsWaitForTheMap() throws Exception {
    // The loader cannot read the cards table while this transaction holds it locked.
    try (Connection connection = environment.jdbc(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("LOCK TABLE cards IN ACCESS EXCLUSIVE MODE");

      TestNode node = environment.startNodeLoading();

      assertThat(node.readiness()).isEqualTo(503);
      istanbul.hes.testing.ProblemAssert.assertProblem(node.postTap(TestNode.tapBody(oneOfEach.get(CardClass.OK)).encode()), 503, "NOT_READY");
      assertThat(node.node().mapLoaded().isComplete()).isFalse();
      connection.commit();

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> node.readiness() == 200);
      assertThat(node.reason(oneOfEach.get(CardClass.OK))).isEqualTo("OK");
    }
  }

  /**
   * What a node process killed in the boot {@code bootId} leaves: the state of a complete map
   * opened by its session, and that session's write marks with one segment marked.
   */
  private void leaveAsAKilledProcessWould(String bootId) throws IOException {
    Path marksFile = environment.mapFile().resolveSibling(environment.mapFile().getFileName() + ".writing");
    int segments = SegmentWriteMarks.read(marksFile).orElseThrow().segments();
    long identity;
    try (CardMapFile file = CardMapFile.lock(environment.mapFile(), 20_000)) {
      identity = file.identityHash();
    }
    SegmentWriteMarks marks = SegmentWriteMarks.start(marksFile, segments, identity);
    marks.writing(segments / 2);
    Path stateFile = environment.mapStateFile();
    ObjectNode state = (ObjectNode) JSON.readTree(stateFile.toFile());
    assertThat(state.get("complete").asBoolean()).isTrue();
    state.put("clean", false);
    state.put("openedBy", bootId + "/" + Long.toHexString(marks.session()));
    Files.write(stateFile, JSON.writeValueAsBytes(state));
  }

  /** What a crash leaves: a state file that says the map is open. */
  private void markUnclean() throws IOException {
    Path stateFile = environment.mapStateFile();
    ObjectNode state = (ObjectNode) JSON.readTree(stateFile.toFile());
    assertThat(state.get("clean").asBoolean()).isTrue();
    state.put("clean", false);
    Files.write(stateFile, JSON.writeValueAsBytes(state));
  }
}
