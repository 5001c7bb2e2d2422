package istanbul.hes.admin;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.SharedNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operators' comparison of a node's map with PostgreSQL finds what differs, and only that. */
class ConsistencyCheckTest {
  @RegisterExtension
  static final SharedNode SHARED = new SharedNode();

  @Test
  void aMapThatAgreesHasNoMismatchAndADamagedEntryIsFoundInBothModes() {
    List<Long> cards = SHARED.node().seeder().oneOfEach();
    JsonObject clean = SHARED.node().consistency("full");
    assertThat(clean.getLong("mismatches")).isZero();
    assertThat(clean.getLong("checked")).isGreaterThanOrEqualTo(cards.size());

    // An entry PostgreSQL never wrote: the OK card turned blocked at a version from nowhere.
    long damaged = cards.get(CardClass.OK.ordinal());
    CardStatus wrong = CardStatus.of(CardStatus.MAX_PACKED_VERSION, true, true, true, CardStatus.NO_EXPIRY, false);
    SHARED.node().damageMap(damaged, wrong);

    JsonObject full = SHARED.node().consistency("full");
    assertThat(full.getLong("mismatches")).isEqualTo(1);
    assertThat(full.getLong("missingInMap")).isZero();
    assertThat(full.getJsonArray("examples").getList()).containsExactly(CardNumber.masked(damaged));
    assertThat(full.encode()).doesNotContain(CardNumber.format(damaged));
    JsonObject sample = SHARED.node().consistency("sample");
    assertThat(sample.getString("mode")).isEqualTo("sample");
    assertThat(sample.getLong("mismatches")).isEqualTo(1);
    assertThat(SHARED.node().metrics()).containsPattern("(?m)^gateway_map_consistency_mismatches\\{[^}]*\\} 1\\.0$");
  }

  @Test
  void aSampleOfAGivenSizeIsAccepted() {
    SHARED.node().seeder().oneOfEach();
    HttpResponse<Buffer> sample = SHARED.node().operator(HttpMethod.GET, "/admin/v1/consistency?mode=sample&cards=3", null);
    assertThat(sample.statusCode()).isEqualTo(200);
    assertThat(sample.bodyAsJsonObject().getLong("checked")).isBetween(1L, 3L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"?mode=everything", "?mode=FULL", "?cards=0", "?cards=abc", "?cards=1000001", "?cards=%D9%A1%D9%A2",
      "?cards=%EF%BC%91", "?mode=full&cards=10", "?cards=-5", "?cards=99999999999"})
  void aBadCheckRequestIsRefused(String query) {
    assertProblem(SHARED.node().operator(HttpMethod.GET, "/admin/v1/consistency" + query, null), 400, "INVALID_REQUEST");
  }

  @Test
  void withoutTheOperatorTokenNothingIsChecked() {
    assertProblem(SHARED.node().admin(HttpMethod.GET, "/admin/v1/consistency", (Buffer) null, null), 401, "UNAUTHORIZED");
  }
}
