package istanbul.hes.simulator.health;

import istanbul.hes.simulator.Faults;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.Pii;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator over HTTP, as the gateway, the demo and operators see it. */
class HealthMinistrySimulatorTest {
  private static final String USER = "institution-34";
  private static final String PASSWORD = "simulator-pass";
  private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Istanbul"));

  private Vertx vertx;
  private HealthMinistrySimulator simulator;
  private WebClient web;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new HealthMinistrySimulator("127.0.0.1", 0, USER, PASSWORD);
    Await.result(vertx.deployVerticle(simulator));
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    web.close();
    Await.result(vertx.close());
  }

  private HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return web.request(method, simulator.actualPort(), "127.0.0.1", path).basicAuthentication(USER, PASSWORD).timeout(5_000);
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    return Await.result(request(io.vertx.core.http.HttpMethod.POST, path).sendJsonObject(body));
  }

  private HttpResponse<Buffer> put(String path, JsonObject body) {
    return Await.result(request(io.vertx.core.http.HttpMethod.PUT, path).sendJsonObject(body));
  }

  private HttpResponse<Buffer> check(String code) {
    return post("/check-hes-code", new JsonObject().put("hes_code", code));
  }

  @Test
  void aCheckAnswersWithTheContractShapeAndMaskedIdentity() {
    String identity = Pii.register(CardSeeder.syntheticTckn());
    simulator.register(new HesCodeRecord("G1B5644915", identity, "Işıl", "Çelik", Status.RISKY, TODAY.plusDays(2).atStartOfDay()));

    HttpResponse<Buffer> response = check("G1B5644915");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("hes_code", "G1B5644915")
        .put("current_health_status", "RISKY")
        .put("masked_identity_number", "********" + identity.substring(8))
        .put("masked_firstname", "IŞ**")
        .put("masked_lastname", "ÇE***")
        .put("expiration_date", TODAY.plusDays(2) + "T00:00:00"));
  }

  @Test
  void unknownAndExpiredCodesAreTheMinistrysErrorKeys() {
    simulator.register(new HesCodeRecord("EXPD000001", Pii.register(CardSeeder.syntheticTckn()), "Ali", "Kaya", Status.RISKLESS,
        TODAY.minusDays(1).atStartOfDay()));

    HttpResponse<Buffer> unknown = check("NONE000001");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsJsonObject()).isEqualTo(new JsonObject().put("errorKey", "hescodenotfound"));
    HttpResponse<Buffer> expired = check("EXPD000001");
    assertThat(expired.statusCode()).isEqualTo(400);
    assertThat(expired.bodyAsJsonObject()).isEqualTo(new JsonObject().put("errorKey", "hescodehasbeenexpired"));
  }

  @Test
  void theBulkCheckSplitsSuccessesFromFailures() {
    HesCodeRecord valid = simulator.issue(Pii.register(CardSeeder.syntheticTckn()), "Ayşe", "Demir", Status.RISKLESS,
        HesCodeRecord.NO_EXPIRY);

    HttpResponse<Buffer> response = post("/check-hes-codes", new JsonObject().put("hes_codes", new JsonArray().add(valid.hesCode()).add("NONE000002")));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getJsonObject("success_map").getJsonObject(valid.hesCode()).getString("expiration_date")).isEqualTo("9999-12-31T00:00:00");
    assertThat(body.getJsonObject("unsuccess_map")).isEqualTo(new JsonObject().put("NONE000002", "hescodenotfound"));
  }

  @Test
  void wrongOrMissingCredentialsAreRefused() {
    HttpResponse<Buffer> none = Await.result(web.post(simulator.actualPort(), "127.0.0.1", "/check-hes-code")
        .sendJsonObject(new JsonObject().put("hes_code", "G1B5644915")));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.getHeader("WWW-Authenticate")).startsWith("Basic");
    HttpResponse<Buffer> wrong = Await.result(web.post(simulator.actualPort(), "127.0.0.1", "/simulator/stats")
        .basicAuthentication(USER, "not-the-password").send());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> otherUser = Await.result(web.post(simulator.actualPort(), "127.0.0.1", "/check-hes-code")
        .basicAuthentication("someone-else", PASSWORD).sendJsonObject(new JsonObject().put("hes_code", "G1B5644915")));
    assertThat(otherUser.statusCode()).isEqualTo(401);
    assertThat(simulator.requestCount()).isEqualTo(2);
  }

  @Test
  void operatorsIssueCodesAndSetPeopleRiskyOverHttp() {
    String identity = Pii.register(CardSeeder.syntheticTckn());
    HttpResponse<Buffer> issued = post("/simulator/hes-codes", new JsonObject().put("identity_number", identity)
        .put("first_name", "Deniz").put("last_name", "Yıldız").put("expiration_date", TODAY.plusDays(5).toString()));
    assertThat(issued.statusCode()).isEqualTo(201);
    String code = issued.bodyAsJsonObject().getString("hes_code");
    assertThat(code).matches("[A-Z0-9]{10}");
    assertThat(check(code).bodyAsJsonObject().getString("current_health_status")).isEqualTo("RISKLESS");

    HttpResponse<Buffer> risky = put("/simulator/people/" + identity + "/status", new JsonObject().put("status", "RISKY"));
    assertThat(risky.bodyAsJsonObject().getInteger("updated")).isEqualTo(1);
    assertThat(check(code).bodyAsJsonObject().getString("current_health_status")).isEqualTo("RISKY");

    HttpResponse<Buffer> chosen = post("/simulator/hes-codes", new JsonObject().put("hes_code", "t3st000001").put("identity_number", identity)
        .put("first_name", "Deniz").put("last_name", "Yıldız").put("status", "RISKY"));
    assertThat(chosen.bodyAsJsonObject().getString("hes_code")).isEqualTo("T3ST000001");
    assertThat(check("T3ST000001").bodyAsJsonObject().getString("expiration_date")).isEqualTo("9999-12-31T00:00:00");

    assertThat(post("/simulator/hes-codes", new JsonObject().put("first_name", "x")).statusCode()).isEqualTo(400);
    assertThat(put("/simulator/people/" + identity + "/status", new JsonObject().put("status", "MAYBE")).statusCode()).isEqualTo(400);
  }

  @Test
  void faultsAreSwitchedOverHttpAndNeverHitTheOperatorEndpoints() {
    HesCodeRecord record = simulator.issue(Pii.register(CardSeeder.syntheticTckn()), "Can", "Ak", Status.RISKLESS, HesCodeRecord.NO_EXPIRY);

    assertThat(put("/simulator/faults", new JsonObject().put("error5xxStatus", 500).put("error5xxProbability", 1.0)).statusCode())
        .isEqualTo(200);
    assertThat(check(record.hesCode()).statusCode()).isEqualTo(500);

    assertThat(put("/simulator/faults", new JsonObject().put("down", true)).statusCode()).isEqualTo(200);
    Future<HttpResponse<Buffer>> refused = request(io.vertx.core.http.HttpMethod.POST, "/check-hes-code")
        .sendJsonObject(new JsonObject().put("hes_code", record.hesCode()));
    assertThat(Await.failure(refused)).isNotNull();
    HttpResponse<Buffer> stats = Await.result(request(io.vertx.core.http.HttpMethod.GET, "/simulator/stats").send());
    assertThat(stats.bodyAsJsonObject().getLong("requests")).isEqualTo(2);
    assertThat(stats.bodyAsJsonObject().getJsonObject("faults").getBoolean("down")).isTrue();

    assertThat(Await.result(request(io.vertx.core.http.HttpMethod.DELETE, "/simulator/faults").send()).statusCode()).isEqualTo(204);
    assertThat(check(record.hesCode()).statusCode()).isEqualTo(200);
    assertThat(put("/simulator/faults", new JsonObject().put("error5xxStatus", 404)).statusCode()).isEqualTo(400);
  }

  @Test
  void aSlowMinistryAnswersLateWithoutBlockingItsLoop() {
    HesCodeRecord record = simulator.issue(Pii.register(CardSeeder.syntheticTckn()), "Can", "Ak", Status.RISKLESS, HesCodeRecord.NO_EXPIRY);
    simulator.faults(Faults.slow(400));
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> slow = request(io.vertx.core.http.HttpMethod.POST, "/check-hes-code")
        .sendJsonObject(new JsonObject().put("hes_code", record.hesCode()));
    // The operator endpoint still answers at once while the ministry request waits.
    assertThat(Await.result(request(io.vertx.core.http.HttpMethod.GET, "/simulator/stats").send()).statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(400);
    assertThat(Await.result(slow).statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(400);
  }

  @Test
  void namesAndIdentityNumbersAreMaskedAsTheMinistryDoes() {
    assertThat(Masking.identityNumber("12345678792")).isEqualTo("********792");
    assertThat(Masking.identityNumber("U12345678")).isEqualTo("******678");
    assertThat(Masking.identityNumber("12")).isEqualTo("12");
    assertThat(Masking.name("Deniz")).isEqualTo("DE***");
    assertThat(Masking.name("yılmaz")).isEqualTo("YI****");
    assertThat(Masking.name("inci")).isEqualTo("İN**");
    assertThat(Masking.name("Ay Nur")).isEqualTo("AY****");
    assertThat(Masking.name("O")).isEqualTo("O");
  }
}
