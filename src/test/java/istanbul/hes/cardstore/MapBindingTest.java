package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A map file serves only the database it was built from: a cleanly closed map of one schema,
 * installation or change log is rebuilt, with the reason logged, when the node starts against
 * another, or against a log that does not hold its position.
 */
class MapBindingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestEnvironment first;
  private List<Long> firstCards;

  @BeforeEach
  void leaveACleanMapOfTheFirstSchema() {
    first = new TestEnvironment();
    first.migrate();
    firstCards = first.offlineSeeder().oneOfEach();
    TestNode node = first.startNode();
    assertThat(node.mapEntries()).isEqualTo(firstCards.size());
    node.stop();
  }

  @AfterEach
  void dropEverything() {
    first.close();
  }

  @Test
  void aNodeOfAnotherSchemaGivenTheFirstSchemasCleanMapRebuildsItAndAnswersFromItsOwnDatabase() {
    // Same data folder, so the same cards.map and its clean state; another schema (and installation).
    try (TestEnvironment second = new TestEnvironment(Map.of("node.dataDir", first.dataDirectory().toString()))) {
      assertThat(second.mapFile()).isEqualTo(first.mapFile());
      second.migrate();
      CardSeeder seeder = second.offlineSeeder();
      // The first schema's OK card exists here too, blocked; its versions are the second log's.
      long sameNumber = seeder.create(CardClass.BLOCKED, firstCards.get(CardClass.OK.ordinal()));
      long onlyHere = seeder.create(CardClass.RISKY);
      int logMark = LogCapture.lines().size();

      TestNode node = second.startNode();

      MapLoad load = node.awaitLoaded();
      assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
      assertThat(load.why()).contains("another database").contains("schema " + first.schema() + " in the map, "
          + second.schema() + " in the database").contains("installation id").doesNotContain("database.url");
      assertThat(LogCapture.lines().subList(logMark, LogCapture.lines().size()))
          .filteredOn(line -> line.contains("building the card map from PostgreSQL") && line.contains("schema " + first.schema()))
          .hasSize(1)
          // The identity query answered on the loader's worker, which then checks and opens the file.
          .allMatch(line -> line.contains("[vert.x-worker-thread-"));
      assertThat(load.entries()).isEqualTo(2);
      assertThat(node.mapEntries()).isEqualTo(2);
      assertThat(node.reason(firstCards.get(CardClass.ANONYMOUS.ordinal()))).isEqualTo("UNKNOWN_CARD");
      assertThat(node.reason(firstCards.get(CardClass.RISKY.ordinal()))).isEqualTo("UNKNOWN_CARD");
      assertThat(node.reason(sameNumber)).isEqualTo("CARD_BLOCKED");
      assertThat(node.reason(onlyHere)).isEqualTo("HES_RISK");
      node.stop();

      // Now bound to the second schema: its own next start is warm.
      TestNode again = second.startNode();
      assertThat(again.awaitLoaded().mode()).isEqualTo(MapLoad.Mode.WARM);
      assertThat(again.reason(firstCards.get(CardClass.ANONYMOUS.ordinal()))).isEqualTo("UNKNOWN_CARD");
      again.stop();
    }
  }

  @Test
  void theSameSchemaRestoredAsAnotherInstallationIsRebuilt() {
    // As if the database had been restored or re-created under the same names: a new installation id.
    first.sql("UPDATE installation SET installation_id = gen_random_uuid()");

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("installation id").doesNotContain("schema ");
  }

  @Test
  void aPositionBeyondTheNewestVersionOfTheLogIsRebuilt() throws IOException {
    long newest = Long.parseLong(first.column("SELECT max(version) FROM card_status_log").get(0));
    editState(state -> state.put("positionVersion", newest + 1_000));

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("beyond the log's newest version");
  }

  @Test
  void aPositionTheLogNoLongerHoldsIsRebuilt() {
    // The log trimmed up to and including the map's position: what came between is unknowable.
    first.sql("DELETE FROM card_status_log WHERE version <= (SELECT max(version) FROM card_status_log)");
    first.offlineSeeder().setBlocked(firstCards.get(CardClass.OK.ordinal()), true);

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("no longer holds the map's position");
  }

  @Test
  void aMapLeftOpenOfAnotherInstallationIsRebuiltNotRecovered() throws IOException {
    editState(state -> state.put("clean", false));
    first.sql("UPDATE installation SET installation_id = gen_random_uuid()");

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("installation id");
  }

  @Test
  void aStateThatRecordsNoDatabaseIsRebuilt() throws IOException {
    editState(state -> state.remove("identity"));

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("no database identity");
  }

  @Test
  void aMapOfAnEarlierFormatIsRebuiltWithTheCardIndexes() throws IOException {
    // Format 3 entries were 17 bytes unpacked (format 2's, 13 without the card index): read as
    // the 12 packed bytes of format 4, they would be garbage.
    editState(state -> state.put("format", 3));

    MapLoad load = restart();

    assertThat(load.mode()).isEqualTo(MapLoad.Mode.REBUILT);
    assertThat(load.why()).contains("older format (3; this version writes 4");
  }

  @Test
  void theRecordedIdentityIsThisDatabases() throws IOException {
    ObjectNode identity = (ObjectNode) JSON.readTree(first.mapStateFile().toFile()).get("identity");

    assertThat(identity.get("schema").asText()).isEqualTo(first.schema());
    assertThat(identity.get("installationId").asText()).isEqualTo(first.column("SELECT installation_id FROM installation").get(0));
    assertThat(identity.get("systemIdentifier").asText())
        .isEqualTo(first.column("SELECT system_identifier FROM pg_control_system()").get(0));
    assertThat(identity.get("database").asText()).isEqualTo(first.column("SELECT current_database()").get(0));
    assertThat(restart().mode()).isEqualTo(MapLoad.Mode.WARM);
  }

  private MapLoad restart() {
    TestNode node = first.startNode();
    MapLoad load = node.awaitLoaded();
    assertThat(node.mapEntries()).isEqualTo(firstCards.size());
    assertThat(node.reason(firstCards.get(CardClass.NO_HES.ordinal()))).isEqualTo("NO_HES_CODE");
    return load;
  }

  private void editState(java.util.function.Consumer<ObjectNode> edit) throws IOException {
    Path stateFile = first.mapStateFile();
    ObjectNode state = (ObjectNode) JSON.readTree(stateFile.toFile());
    assertThat(state.get("clean").asBoolean()).isTrue();
    edit.accept(state);
    Files.write(stateFile, JSON.writeValueAsBytes(state));
  }
}
