package istanbul.hes.personaldata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.SecurityConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.simulator.health.HesCodeRecord;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person's erasure and export, under the four-eyes rule, on a gateway in the middle of a key
 * rotation (the person's rows under both hash keys): after the erasure no column of any table
 * holds the person's identity number, names, phone or HES code, in clear, sealed, or hashed under
 * either key, while another person's are all still found by the same scan; the person's cards
 * answer as anonymous cards do on both nodes; a violation report still owed to the Ministry of
 * Interior is delivered, then loses the identity.
 */
class PersonRequestsTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final String AYSE = "ayse-token-0123456789abcdefghij";
  private static final String MEHMET = "mehmet-token-0123456789abcdefgh";
  private static final byte[] NEXT_ENCRYPTION = key(3);
  private static final byte[] NEXT_HASH = key(5);

  private static Vertx vertx;
  private static InteriorMinistrySimulator interior;
  private static TestEnvironment environment;
  private static TestNode first;
  private static TestNode second;

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) seed);
    return key;
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    interior = new InteriorMinistrySimulator("127.0.0.1", 0, "municipality", "secret");
    Await.result(vertx.deployVerticle(interior));
    environment = new TestEnvironment(Map.of("admin.personalDataOperators", "ayse:" + AYSE + ",mehmet:" + MEHMET,
        "ministryInterior.baseUrl", interior.baseUrl(), "ministryInterior.username", "municipality",
        "ministryInterior.password", "secret", "ministryInterior.pollMillis", "50", "ministryInterior.backoffBaseMillis", "20",
        "ministryInterior.backoffCapMillis", "100", "ministryInterior.maxAttempts", "1000",
        "citizen.requestsPerPersonPerMinute", "1000"));
    environment.migrate();
    Map<String, String> rotating = environment.rotatedKeys(NEXT_ENCRYPTION, NEXT_HASH);
    first = environment.startClusterNode("first", rotating);
    second = environment.startClusterNode("second", rotating);
  }

  @AfterAll
  static void stop() {
    environment.close();
    Await.result(vertx.close());
  }

  /** Both keys: what the scan looks for sealed values with. */
  private static IdentityProtector bothKeys() {
    return new IdentityProtector(new SecurityConfig(NEXT_ENCRYPTION, NEXT_HASH, 2, 2, Map.of(1, keyOne(true)), Map.of(1, keyOne(false)),
        0, 500, 3_600));
  }

  private static byte[] keyOne(boolean encryption) {
    String variable = encryption ? "HES_SECURITY_IDENTITY_ENCRYPTION_KEY" : "HES_SECURITY_IDENTITY_HASH_KEY";
    return java.util.Base64.getDecoder().decode(environment.nodeEnvironment().get(variable));
  }

  /** A person with two cards under key 1, a code linked on the first through the API (key 2, risky), a contact, a report. */
  private static Held person(String firstName, String lastName) {
    CardSeeder seeder = environment.offlineSeeder();
    SeededPerson person = seeder.person(firstName, lastName, 2);
    String code = Pii.register(environment.healthMinistry().issue(person.documentNumber(), firstName, lastName,
        HesCodeRecord.Status.RISKY, LocalDate.now(ISTANBUL).plusDays(20).atStartOfDay()).hesCode());
    HttpResponse<Buffer> linked = first.citizen(HttpMethod.POST, "/v1/cards/" + CardNumber.format(person.card()) + "/hes-code",
        TestNode.jsonWithToken(first.citizenToken(person.subject())), new JsonObject().put("hesCode", code).toBuffer());
    assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(201);
    long anonymous = seeder.create(CardClass.ANONYMOUS);
    IdentityProtector keyOne = environment.identityProtector();
    environment.sql("INSERT INTO campaign_contacts (card_no, holder_hash, holder_enc, channel, address_enc, address_hash, language, "
        + "consent_at) VALUES (" + anonymous + ", '\\x" + hex(keyOne.hash(LookupKeys.IDENTITY_PURPOSE, person.subject())) + "', '\\x"
        + hex(keyOne.encrypt(person.subject())) + "', 'SMS', '\\x" + hex(keyOne.encrypt(person.phone())) + "', '\\x"
        + hex(keyOne.hash("campaign-phone", person.phone())) + "', 'tr', now())",
        "INSERT INTO agent_actions (agent_id, point_id, action, card_no, holder_hash, status, result) VALUES ('agent-7', 'point-3', "
            + "'HOLDER_CHECK', " + person.card() + ", '\\x" + hex(keyOne.hash(LookupKeys.IDENTITY_PURPOSE, person.subject()))
            + "', 201, 'OK')");
    return new Held(person, code, anonymous);
  }

  private record Held(SeededPerson person, String code, long contactCard) {
    List<String> clearValues() {
      return List.of(person.documentNumber(), person.subject(), person.firstName(), person.lastName(), person.phone(), code);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static HttpResponse<Buffer> request(String kind, JsonObject body, String operator, String approver) {
    Map<String, String> headers = new java.util.HashMap<>();
    if (operator != null) {
      headers.put("X-Operator-Token", operator);
    }
    if (approver != null) {
      headers.put("X-Approver-Token", approver);
    }
    return first.operator(HttpMethod.POST, "/admin/v1/persons/" + kind, body.toBuffer(), headers);
  }

  private static JsonObject about(SeededPerson person) {
    return new JsonObject().put("identity", new JsonObject().put("tckn", person.documentNumber())).put("reference", "KVKK-2026-118");
  }

  @Test
  void fourEyesAndWellFormedRequestsOnly() {
    SeededPerson someone = environment.offlineSeeder().person("Deniz", "Aksoy", 1);
    for (String[] tokens : new String[][] {{AYSE, null}, {null, MEHMET}, {AYSE, AYSE}, {AYSE, "someone-else-token-0123456789"},
        {environment.operatorToken(), MEHMET}}) {
      HttpResponse<Buffer> refused = request("erasures", about(someone), tokens[0], tokens[1]);
      assertThat(refused.statusCode()).as("%s", (Object) tokens).isEqualTo(403);
      assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("FOUR_EYES_REQUIRED");
      assertThat(refused.bodyAsString()).doesNotContain(someone.documentNumber());
    }
    assertThat(request("erasures", new JsonObject().put("identity", new JsonObject().put("tckn", "12345678901"))
        .put("reference", "KVKK-1"), AYSE, MEHMET).bodyAsJsonObject().getString("code")).isEqualTo("INVALID_TCKN");
    assertThat(request("erasures", new JsonObject().put("identity", new JsonObject().put("tckn", 12345678901L))
        .put("reference", "KVKK-1"), AYSE, MEHMET).statusCode()).isEqualTo(400);
    assertThat(request("erasures", new JsonObject().put("reference", "KVKK-1"), AYSE, MEHMET).bodyAsJsonObject().getString("code"))
        .isEqualTo("MISSING_IDENTITY");
    assertThat(request("exports", about(someone).put("reference", "name " + someone.documentNumber()), AYSE, MEHMET)
        .bodyAsJsonObject().getString("code")).isEqualTo("INVALID_REFERENCE");
    assertThat(first.operator(HttpMethod.POST, "/admin/v1/persons/erasures", Buffer.buffer("{\"identity\":"),
        Map.of("X-Operator-Token", AYSE, "X-Approver-Token", MEHMET)).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> huge = first.operator(HttpMethod.POST, "/admin/v1/persons/erasures",
        about(someone).put("padding", "x".repeat(64 * 1024)).toBuffer(), Map.of("X-Operator-Token", AYSE, "X-Approver-Token", MEHMET));
    assertThat(huge.statusCode()).isEqualTo(413);
    // Without the operator token, nothing is even looked at; unknown extra fields are tolerated.
    assertThat(first.admin(HttpMethod.POST, "/admin/v1/persons/exports", about(someone), null).statusCode()).isEqualTo(401);
    assertThat(request("exports", about(someone).put("channel", "phone"), AYSE, MEHMET).statusCode()).isEqualTo(200);
    // Nothing happened to the person.
    assertThat(environment.column("SELECT count(*)::text FROM cards WHERE card_no = " + someone.card() + " AND owner_id IS NOT NULL"))
        .containsExactly("1");
  }

  @Test
  void anExportHoldsEverythingAndAnErasureLeavesNothingOfThePersonAnywhere() throws Exception {
    Held erased = person("Nilüfer", "Karadağlıoğlu");
    Held kept = person("Ömer", "Sevindik");
    // A report owed to the Ministry of Interior while it refuses everything: still to deliver at the erasure.
    interior.acceptOnly(0.0);
    assertThat(first.reason(erased.person().card())).isEqualTo("HES_RISK");
    await().atMost(Duration.ofSeconds(10)).until(() -> !environment.column(
        "SELECT id FROM violation_outbox WHERE card_no = " + erased.person().card()).isEmpty());

    HttpResponse<Buffer> exported = request("exports", about(erased.person()), AYSE, MEHMET);
    assertThat(exported.statusCode()).as(exported.bodyAsString()).isEqualTo(200);
    JsonObject export = exported.bodyAsJsonObject();
    assertThat(export.getJsonObject("owner").getString("firstName")).isEqualTo("Nilüfer");
    assertThat(export.getJsonObject("owner").getString("identityNumber")).isEqualTo(erased.person().documentNumber());
    assertThat(export.getJsonObject("owner").getString("phone")).isEqualTo(erased.person().phone());
    assertThat(export.getJsonArray("cards")).hasSize(2);
    assertThat(export.getJsonArray("cards").getJsonObject(0).getJsonObject("hesCode").getString("code")).isEqualTo(erased.code());
    assertThat(export.getJsonArray("risk").getJsonObject(0).getBoolean("risky")).isTrue();
    assertThat(export.getJsonArray("contacts").getJsonObject(0).getString("address")).isEqualTo(erased.person().phone());
    assertThat(export.getJsonArray("auditTrail").stream().map(row -> ((JsonObject) row).getString("action"))).contains("HES_LINK");
    assertThat(export.getJsonArray("salesPointActions")).hasSize(1);
    assertThat(export.getJsonArray("violationReports")).isNotEmpty();

    HttpResponse<Buffer> answer = request("erasures", about(erased.person()), MEHMET, AYSE);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    JsonObject removed = answer.bodyAsJsonObject();
    assertThat(removed.getLong("ownerRecords")).isEqualTo(1);
    assertThat(removed.getLong("cardsMadeAnonymous")).isEqualTo(2);
    assertThat(removed.getLong("hesLinks")).isEqualTo(1);
    assertThat(removed.getLong("riskRecords")).isEqualTo(1);
    assertThat(removed.getLong("contacts")).isEqualTo(1);
    assertThat(removed.getLong("reportsErasedOnDelivery")).isEqualTo(1);
    assertThat(answer.bodyAsString()).doesNotContain(erased.person().documentNumber(), "Nilüfer");

    // Both nodes answer the person's cards as they answer any anonymous card.
    long anonymous = first.seeder().create(CardClass.ANONYMOUS);
    for (TestNode node : List.of(first, second)) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(node.reason(erased.person().card())).isEqualTo(node.reason(anonymous)));
      assertThat(node.reason(erased.person().cards().get(1))).isEqualTo(node.reason(anonymous));
      assertThat(node.reason(kept.person().card())).isEqualTo("HES_RISK");
    }

    // The owed report is delivered with the identity, then loses it.
    interior.acceptOnly(1.0);
    await().atMost(Duration.ofSeconds(20)).until(() -> environment.column(
        "SELECT state FROM violation_outbox WHERE card_no = " + erased.person().card() + " AND state <> 'DELIVERED'").isEmpty());

    assertThat(scan(erased)).as("the erased person's values found").isEmpty();
    assertThat(scan(kept)).as("the other person's values, found by the same scan").isNotEmpty()
        .anyMatch(found -> found.startsWith("owners.first_name_enc"))
        .anyMatch(found -> found.startsWith("hes_links.hes_code_hash"))
        .anyMatch(found -> found.startsWith("campaign_contacts.address_hash"));
    assertThat(environment.column("SELECT detail->>'requestedBy' || '/' || (detail->>'approvedBy') FROM audit_log "
        + "WHERE action = 'PERSON_ERASED'")).containsExactly("mehmet/ayse");
    assertThat(environment.column("SELECT detail::text FROM audit_log WHERE action IN ('PERSON_ERASED', 'PERSON_EXPORTED')"))
        .allMatch(detail -> !detail.contains(erased.person().documentNumber()));

    // Erasing again finds nothing more, and says so.
    JsonObject again = request("erasures", about(erased.person()), AYSE, MEHMET).bodyAsJsonObject();
    assertThat(again.getLong("ownerRecords")).isZero();
    assertThat(again.getLong("hesLinks")).isZero();
  }

  /**
   * Every column of every table of the schema holding one of the person's values: in clear (as
   * text or as bytes), sealed under either key, or hashed under either key. "table.column: what".
   */
  private static List<String> scan(Held held) throws Exception {
    IdentityProtector keys = bothKeys();
    List<String> clear = held.clearValues();
    List<byte[]> hashes = new ArrayList<>();
    hashes.addAll(keys.hashes(LookupKeys.IDENTITY_PURPOSE, held.person().subject()));
    hashes.addAll(keys.hashes(LookupKeys.HES_CODE_PURPOSE, held.code()));
    hashes.addAll(keys.hashes("campaign-phone", held.person().phone()));
    List<String> found = new ArrayList<>();
    try (Connection connection = environment.jdbc()) {
      List<String[]> columns = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement("SELECT c.table_name, c.column_name, c.data_type "
          + "FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema "
          + "AND t.table_name = c.table_name WHERE c.table_schema = ? AND t.table_type = 'BASE TABLE'")) {
        statement.setString(1, environment.schema());
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            columns.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
          }
        }
      }
      assertThat(columns).as("columns scanned").hasSizeGreaterThan(100);
      for (String[] column : columns) {
        String name = column[0] + "." + column[1];
        String select = "SELECT \"" + column[1] + "\" FROM " + environment.schema() + ".\"" + column[0] + "\" WHERE \"" + column[1]
            + "\" IS NOT NULL";
        try (PreparedStatement statement = connection.prepareStatement(select); ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            if (column[2].equals("bytea")) {
              byte[] value = rows.getBytes(1);
              String asHex = hex(value);
              for (String text : clear) {
                if (asHex.contains(hex(text.getBytes(StandardCharsets.UTF_8)))) {
                  found.add(name + ": clear " + text.length() + " characters");
                }
              }
              for (byte[] hash : hashes) {
                if (asHex.contains(hex(hash))) {
                  found.add(name + ": a hash");
                }
              }
              try {
                String opened = keys.decrypt(value);
                if (clear.contains(opened)) {
                  found.add(name + ": sealed");
                }
              } catch (IllegalArgumentException notSealed) {
                // not a sealed value, or not under these keys
              }
            } else {
              String text = rows.getString(1);
              for (String value : clear) {
                if (text.toLowerCase(java.util.Locale.ROOT).contains(value.toLowerCase(java.util.Locale.ROOT))) {
                  found.add(name + ": clear in text");
                }
              }
            }
          }
        }
      }
    }
    return found;
  }
}
