package istanbul.hes.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consistency check sees both sides: cards only the map holds and cards the map lacks are
 * mismatches as much as entries that differ, in the answer and in the alert's gauge.
 */
class MapOnlyCardsConsistencyTest {
  private static final Pattern MISMATCH_GAUGE = Pattern.compile("(?m)^gateway_map_consistency_mismatches\\{[^}]*\\} (\\S+)$");
  private static final int POPULATION = 240;

  private TestEnvironment environment;
  private TestNode node;
  private List<Long> cards;

  @BeforeEach
  void startANodeOnASeededSchema() {
    environment = new TestEnvironment();
    environment.migrate();
    List<CardClass> kinds = new ArrayList<>();
    for (int i = 0; i < POPULATION; i++) {
      kinds.add(CardClass.values()[i % CardClass.values().length]);
    }
    cards = environment.offlineSeeder().create(kinds);
    node = environment.startNode();
    assertThat(node.mapEntries()).isEqualTo(POPULATION);
  }

  @AfterEach
  void dropEverything() {
    environment.close();
  }

  @Test
  void aMapCheckedAgainstAnEmptyTableReportsEveryCardAsAMismatchInBothModes() {
    // The cards table emptied behind the node's back (no change-log row tells the map).
    environment.sql("TRUNCATE cards CASCADE");

    JsonObject full = node.consistency("full");

    assertThat(full.getLong("checked")).isEqualTo(POPULATION);
    assertThat(full.getLong("extraInMap")).isEqualTo(POPULATION);
    assertThat(full.getLong("missingInMap")).isZero();
    assertThat(full.getLong("differing")).isZero();
    assertThat(full.getLong("mismatches")).isEqualTo(POPULATION);
    assertThat(full.getJsonObject("examplesByKind").getJsonArray("extraInMap")).hasSize(10);
    assertThat(full.getJsonArray("examples")).hasSize(10);
    assertThat(mismatchGauge()).isEqualTo(POPULATION);

    JsonObject sample = node.consistency("sample");

    assertThat(sample.getLong("checked")).isPositive();
    assertThat(sample.getLong("extraInMap")).isPositive().isEqualTo(sample.getLong("mismatches"));
    assertThat(sample.getLong("missingInMap")).isZero();
    assertThat(mismatchGauge()).isEqualTo(sample.getLong("mismatches")).isPositive();

    HttpResponse<Buffer> small = node.operator(HttpMethod.GET, "/admin/v1/consistency?mode=sample&cards=2", null);
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.bodyAsJsonObject().getLong("extraInMap")).as("one card sampled from the map side").isEqualTo(1);
  }

  @Test
  void eachKindOfMismatchIsCountedAndNamed() {
    // Only in the map: a card deleted from the table directly.
    long onlyInMap = cards.get(CardClass.ANONYMOUS.ordinal());
    environment.sql("DELETE FROM cards WHERE card_no = " + onlyInMap);
    // Only in the table: a card inserted without going through the status store.
    long onlyInTable = CardSeeder.unusedCardNumber();
    environment.sql("INSERT INTO cards (card_no) VALUES (" + onlyInTable + ")");
    // In both, different: an entry PostgreSQL never wrote.
    long differing = cards.get(CardClass.OK.ordinal());
    node.damageMap(differing, CardStatus.of(CardStatus.MAX_PACKED_VERSION, true, true, true, CardStatus.NO_EXPIRY, false));

    JsonObject full = node.consistency("full");

    assertThat(full.getLong("checked")).isEqualTo(POPULATION + 1);
    assertThat(full.getLong("differing")).isEqualTo(1);
    assertThat(full.getLong("missingInMap")).isEqualTo(1);
    assertThat(full.getLong("extraInMap")).isEqualTo(1);
    assertThat(full.getLong("mismatches")).isEqualTo(3);
    JsonObject byKind = full.getJsonObject("examplesByKind");
    assertThat(byKind.getJsonArray("differing").getList()).containsExactly(CardNumber.masked(differing));
    assertThat(byKind.getJsonArray("missingInMap").getList()).containsExactly(CardNumber.masked(onlyInTable));
    assertThat(byKind.getJsonArray("extraInMap").getList()).containsExactly(CardNumber.masked(onlyInMap));
    assertThat(full.encode()).doesNotContain(CardNumber.format(onlyInMap)).doesNotContain(CardNumber.format(onlyInTable));
    assertThat(mismatchGauge()).isEqualTo(3);

    // A sample of everything (both sides) finds the same three.
    HttpResponse<Buffer> sample = node.operator(HttpMethod.GET, "/admin/v1/consistency?mode=sample&cards=1000", null);
    assertThat(sample.statusCode()).isEqualTo(200);
    assertThat(sample.bodyAsJsonObject().getLong("mismatches")).isEqualTo(3);
    assertThat(sample.bodyAsJsonObject().getLong("extraInMap")).isEqualTo(1);
  }

  private long mismatchGauge() {
    Matcher gauge = MISMATCH_GAUGE.matcher(node.metrics());
    assertThat(gauge.find()).isTrue();
    return (long) Double.parseDouble(gauge.group(1));
  }
}
