package istanbul.hes.citizen.api;

import static istanbul.hes.testing.TestNode.jsonWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Person A's token on every one of person B's resources, with every method and body a client
 * could send: 403 on 100 % of them, the answer byte for byte the one for a card that does not
 * exist (nothing leaked: not even whether the card exists or has a code), and B's cards unchanged.
 */
class AuthorizationMatrixTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of("citizen.requestsPerPersonPerMinute", "10000",
        "citizen.requestsPerAddressPerMinute", "100000"));

  private static TestEnvironment environment;
  private static TestNode node;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
  }

  private record Attempt(String label, HttpMethod method, String path, JsonObject body) {}

  private static String issue(SeededPerson person) {
    return Pii.register(environment.healthMinistry().issue(person.documentNumber(), person.firstName(), person.lastName(),
        Status.RISKLESS, LocalDate.now(ISTANBUL).plusDays(30).atStartOfDay()).hesCode());
  }

  @Test
  void everyRequestOfAOnBsResourcesIsRefusedAsIfTheCardDidNotExist() {
    // B: one card with a code, one without; a foreigner B too. A: a person with a card and code of their own.
    SeededPerson a = node.seeder().person("Ahmet", "Yıldız", 1);
    String aCode = issue(a);
    SeededPerson b = node.seeder().person("Büşra", "Koç", 2);
    String bCode = issue(b);
    SeededPerson foreignB = node.seeder().foreigner("GBR", "John", "Smith", 1);
    String foreignCode = issue(foreignB);
    String aToken = node.citizenToken(a.subject());
    assertThat(send(a, HttpMethod.POST, hesPath(a.card()), new JsonObject().put("hesCode", aCode)).statusCode()).isEqualTo(201);
    assertThat(send(b, HttpMethod.POST, hesPath(b.cards().get(0)), new JsonObject().put("hesCode", bCode)).statusCode())
        .isEqualTo(201);
    assertThat(send(foreignB, HttpMethod.POST, hesPath(foreignB.card()), new JsonObject().put("hesCode", foreignCode))
        .statusCode()).isEqualTo(201);
    List<String> reasonsBefore = reasons(b, foreignB);

    long unknownCard = CardSeeder.unusedCardNumber();
    List<Long> victims = new ArrayList<>(b.cards());
    victims.add(foreignB.card());
    List<Attempt> attempts = new ArrayList<>();
    for (long card : victims) {
      for (String code : new String[] {aCode, bCode, foreignCode, "ZZ11ZZ11ZZ"}) {
        attempts.add(new Attempt("link " + code.substring(0, 2), HttpMethod.POST, hesPath(card), new JsonObject().put("hesCode", code)));
        attempts.add(new Attempt("update " + code.substring(0, 2), HttpMethod.PUT, hesPath(card), new JsonObject().put("hesCode", code)));
      }
      attempts.add(new Attempt("view", HttpMethod.GET, hesPath(card), null));
      attempts.add(new Attempt("remove", HttpMethod.DELETE, hesPath(card), null));
    }

    int refused = 0;
    for (Attempt attempt : attempts) {
      HttpResponse<Buffer> onVictim = node.citizen(attempt.method(), attempt.path(), jsonWithToken(aToken),
          attempt.body() == null ? null : attempt.body().toBuffer());
      String unknownPath = attempt.path().replace(attempt.path().substring(10, 26), CardNumber.format(unknownCard));
      HttpResponse<Buffer> onUnknown = node.citizen(attempt.method(), unknownPath, jsonWithToken(aToken),
          attempt.body() == null ? null : attempt.body().toBuffer());
      assertThat(onVictim.statusCode()).as("%s %s", attempt.label(), attempt.path()).isEqualTo(403);
      assertThat(onVictim.bodyAsString()).as("%s: same answer as for a card that does not exist", attempt.label())
          .isEqualTo(onUnknown.bodyAsString());
      assertThat(new java.util.TreeSet<>(onVictim.headers().names())).isEqualTo(new java.util.TreeSet<>(onUnknown.headers().names()));
      refused++;
    }
    assertThat(refused).isEqualTo(attempts.size()).isEqualTo(30);

    // B's own identity with A's token: refused before anything is looked up.
    for (SeededPerson victim : List.of(b, foreignB)) {
      JsonObject ownerBody = ownerBody(victim);
      HttpResponse<Buffer> personalize = node.citizen(HttpMethod.PUT, "/v1/cards/" + CardNumber.format(victim.card()) + "/owner",
          jsonWithToken(aToken), ownerBody.toBuffer());
      assertThat(personalize.statusCode()).as(personalize.bodyAsString()).isEqualTo(403);
      assertThat(personalize.bodyAsJsonObject().getString("code")).isEqualTo("IDENTITY_MISMATCH");
    }

    assertThat(reasons(b, foreignB)).isEqualTo(reasonsBefore).containsExactly("OK", "NO_HES_CODE", "OK");
    JsonObject bView = send(b, HttpMethod.GET, hesPath(b.cards().get(0)), null).bodyAsJsonObject();
    assertThat(bView.getString("hesCode")).isEqualTo(bCode.substring(0, 4) + "-****-**");
  }

  private static JsonObject ownerBody(SeededPerson victim) {
    JsonObject body = new JsonObject()
        .put("firstName", victim.firstName()).put("lastName", victim.lastName())
        .put("birthYear", 1980).put("phone", "+905551234567")
        .put("consents", new JsonObject().put("kvkkNotice", true).put("hesDataSharing", true))
        .put("challengeId", "00000000-0000-4000-8000-000000000000").put("challengeCode", "123456");
    if (victim.foreigner()) {
      String[] key = victim.subject().split(":");
      return body.put("passportNumber", key[2]).put("nationality", key[1]);
    }
    return body.put("tckn", victim.documentNumber());
  }

  private static List<String> reasons(SeededPerson b, SeededPerson foreignB) {
    return List.of(node.reason(b.cards().get(0)), node.reason(b.cards().get(1)), node.reason(foreignB.card()));
  }

  private static String hesPath(long card) {
    return "/v1/cards/" + CardNumber.format(card) + "/hes-code";
  }

  private static HttpResponse<Buffer> send(SeededPerson caller, HttpMethod method, String path, JsonObject body) {
    return node.citizen(method, path, jsonWithToken(node.citizenToken(caller.subject())), body == null ? null : body.toBuffer());
  }
}
