package istanbul.hes.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.SecurityConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Key rotation on a node: records of every kind under key 1, a node whose current keys are 2
 * (1 still readable) moves them all, the admin API then calls key 1 retirable, and a node that
 * knows only key 2 finds every person, every code and every risk.
 */
class KeyRotationTest {
  private static final byte[] NEW_ENCRYPTION = PersonalRecords.key(7);
  private static final byte[] NEW_HASH = PersonalRecords.key(9);

  @Test
  void everyRecordMovesToTheNewKeysAndANodeWithOnlyThemFindsEveryone() {
    try (TestEnvironment environment = new TestEnvironment(Map.of("security.rotationRowsPerSecond", "100000",
        "security.rotationBatchRows", "300"))) {
      environment.migrate();
      PersonalRecords.Seeded seeded = PersonalRecords.seed(environment, 2_000, 4_100_000_000_000_000L);
      TestNode before = environment.startNode();
      PersonalRecords.Person linked = seeded.people().get(2);
      assertThat(view(before, linked).statusCode()).isEqualTo(200);
      before.stop();

      Map<String, String> rotating = new HashMap<>(environment.rotatedKeys(NEW_ENCRYPTION, NEW_HASH));
      TestNode rotator = environment.startNodeWith(rotating);
      // Lookups work while records are under either key.
      assertThat(view(rotator, linked).statusCode()).isEqualTo(200);
      JsonObject status = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
          .until(() -> PersonalRecords.keysStatus(rotator), PersonalRecords::retired);
      assertThat(status.getJsonObject("current").getInteger("encryptionKeyId")).isEqualTo(2);
      assertThat(status.getJsonArray("kinds")).hasSize(7);
      assertThat(status.getJsonArray("kinds").stream().map(JsonObject.class::cast)
          .mapToLong(kind -> kind.getLong("valuesNotCurrent")).sum()).isZero();
      assertThat(rotator.metrics()).containsPattern("gateway_key_rotation_records_total\\{kind=\"owners\",[^}]*outcome=\"moved\"\\} 2000")
          .containsPattern("gateway_key_rotation_values_not_current\\{kind=\"owners\",[^}]*\\} 0");
      rotator.stop();

      IdentityProtector newKeysOnly = new IdentityProtector(new SecurityConfig(NEW_ENCRYPTION, NEW_HASH, 2, 2, Map.of(), Map.of(),
          0, 500, 3_600));
      assertThat(PersonalRecords.assertEveryRecordUnderNewKeys(environment, newKeysOnly)).isGreaterThan(seeded.records());

      Map<String, String> retired = new HashMap<>(rotating);
      retired.put("security.otherEncryptionKeys", "");
      retired.put("security.otherHashKeys", "");
      TestNode after = environment.startNodeWith(retired);
      for (PersonalRecords.Person person : List.of(seeded.people().get(0), linked, seeded.people().get(3))) {
        HttpResponse<Buffer> viewed = view(after, person);
        if (person.hesCode() == null) {
          assertThat(viewed.statusCode()).as(viewed.bodyAsString()).isEqualTo(404);
        } else {
          assertThat(viewed.statusCode()).as(viewed.bodyAsString()).isEqualTo(200);
          assertThat(viewed.bodyAsJsonObject().getString("hesCode")).startsWith(person.hesCode().substring(0, 4));
        }
      }
      // The risk joined to its owner under the new hash: person 0 is risky and linked, 2 linked only.
      assertThat(after.reason(seeded.people().get(0).card())).isEqualTo("HES_RISK");
      assertThat(after.reason(linked.card())).isEqualTo("OK");
    }
  }

  private static HttpResponse<Buffer> view(TestNode node, PersonalRecords.Person person) {
    return node.citizen(HttpMethod.GET, "/v1/cards/" + CardNumber.format(person.card()) + "/hes-code",
        TestNode.jsonWithToken(node.citizenToken(person.subject())), null);
  }
}
