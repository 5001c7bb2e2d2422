package istanbul.hes.points;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.RateWindows;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sales and top-up points' listener on a started node: a holder check through the SMS
 * simulator, the holder session's scope, every seed error through the agent path, the audit
 * trail, rate limits and the operators' switch of agents and points.
 */
class PointsApiTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final int AGENT_LIMIT = 40;
  private static final int POINT_LIMIT = 60;
  private static final AtomicInteger STAFF = new AtomicInteger();

  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of(
      "points.requestsPerAgentPerMinute", Integer.toString(AGENT_LIMIT),
      "points.requestsPerPointPerMinute", Integer.toString(POINT_LIMIT),
      "citizen.challengesPerPersonPerMinute", "100"));

  private static TestEnvironment environment;
  private static TestNode node;
  private static HealthMinistrySimulator ministry;
  private static CardSeeder seeder;

  /** An agent of its own per test: rate limits and audit rows never mix between tests. */
  private final String agent = "agent-" + STAFF.incrementAndGet();
  private final String point = "point-" + STAFF.get();

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
    ministry = environment.healthMinistry();
    seeder = node.seeder();
  }

  @AfterEach
  void healMinistry() {
    ministry.clearFaults();
  }

  // The agent's requests

  private HttpResponse<Buffer> send(HttpMethod method, String path, String session, JsonObject body) {
    return send(method, path, session, body == null ? null : body.toBuffer(), node.agentToken(agent, point));
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String session, Buffer body, String token) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", "Bearer " + token);
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    if (session != null) {
      headers.put(PointsVerticle.HOLDER_SESSION_HEADER, session);
    }
    return node.points(method, path, headers, body);
  }

  private HttpResponse<Buffer> startCheck(long card, JsonObject identity, String phone) {
    JsonObject body = new JsonObject().put("card", CardNumber.format(card)).put("identity", identity);
    if (phone != null) {
      body.put("phone", phone);
    }
    return send(HttpMethod.POST, "/v1/points/holder-checks", null, body);
  }

  private static JsonObject tckn(SeededPerson person) {
    return new JsonObject().put("tckn", person.documentNumber());
  }

  private HttpResponse<Buffer> confirm(String checkId, String code) {
    return send(HttpMethod.POST, "/v1/points/holder-checks/" + checkId + "/confirm", null, new JsonObject().put("code", code));
  }

  /** A confirmed holder check for the person's card: the code the holder read out from the SMS. */
  private String session(SeededPerson person, long card) {
    HttpResponse<Buffer> started = startCheck(card, tckn(person), null);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> confirmed = confirm(started.bodyAsJsonObject().getString("checkId"),
        environment.lastCodeSentTo(person.phone()));
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(200);
    return confirmed.bodyAsJsonObject().getString("holderSession");
  }

  private static String hesPath(long card) {
    return "/v1/points/cards/" + CardNumber.format(card) + "/hes-code";
  }

  private HttpResponse<Buffer> link(String session, long card, String code) {
    return send(HttpMethod.POST, hesPath(card), session, new JsonObject().put("hesCode", code));
  }

  private HttpResponse<Buffer> update(String session, long card, String code) {
    return send(HttpMethod.PUT, hesPath(card), session, new JsonObject().put("hesCode", code));
  }

  private HttpResponse<Buffer> view(String session, long card) {
    return send(HttpMethod.GET, hesPath(card), session, (JsonObject) null);
  }

  private HttpResponse<Buffer> remove(String session, long card) {
    return send(HttpMethod.DELETE, hesPath(card), session, (JsonObject) null);
  }

  private static String issue(SeededPerson person) {
    return issue(person, Status.RISKLESS, LocalDate.now(ISTANBUL).plusDays(30).atStartOfDay());
  }

  private static String issue(SeededPerson person, Status status, LocalDateTime expiresAt) {
    return Pii.register(ministry.issue(person.documentNumber(), person.firstName(), person.lastName(), status, expiresAt).hesCode());
  }

  /** The agent's audit rows, oldest first, as "ACTION card status RESULT"; waits for the expected count (rows follow answers). */
  private List<String> auditRows(int expected) {
    String sql = "SELECT action || ' ' || coalesce(card_no::text, '-') || ' ' || status || ' ' || result FROM agent_actions "
        + "WHERE agent_id = '" + agent + "' ORDER BY at, id";
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> environment.column(sql).size() >= expected);
    return environment.column(sql);
  }

  // Tests

  @Test
  void aCheckedHolderHasTheirCodeLinkedViewedReplacedAndRemovedAtThePoint() {
    SeededPerson person = seeder.person("Zeynep", "Kaya", 1);
    long card = person.card();
    HttpResponse<Buffer> started = startCheck(card, tckn(person), null);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    String phone = person.phone();
    assertThat(started.bodyAsJsonObject().getString("phoneHint"))
        .isEqualTo("+90 5** *** ** " + phone.substring(phone.length() - 2))
        .doesNotContain(phone.substring(3, 11));
    HttpResponse<Buffer> confirmed = confirm(started.bodyAsJsonObject().getString("checkId"), environment.lastCodeSentTo(phone));
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(200);
    String session = confirmed.bodyAsJsonObject().getString("holderSession");
    assertThat(confirmed.bodyAsJsonObject().getString("card")).isEqualTo(CardNumber.format(card));

    String code = issue(person);
    HttpResponse<Buffer> linked = link(session, card, code);
    assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(201);
    assertThat(linked.bodyAsJsonObject().getString("hesCode")).isEqualTo(code.substring(0, 4) + "-****-**");
    assertThat(node.reason(card)).isEqualTo("OK");
    assertThat(view(session, card).bodyAsJsonObject().getString("hesCode")).isEqualTo(code.substring(0, 4) + "-****-**");
    String replacement = issue(person);
    assertThat(update(session, card, replacement).statusCode()).isEqualTo(200);
    assertThat(remove(session, card).statusCode()).isEqualTo(204);
    assertThat(node.reason(card)).isEqualTo("NO_HES_CODE");
    assertThat(send(HttpMethod.DELETE, "/v1/points/holder-session", session, (JsonObject) null).statusCode()).isEqualTo(204);
    assertProblem(view(session, card), 403, "HOLDER_CHECK_REQUIRED");

    String c = Long.toString(card);
    assertThat(auditRows(8)).containsExactly(
        "HOLDER_CHECK_START " + c + " 201 OK",
        "HOLDER_CHECK_CONFIRM " + c + " 200 OK",
        "HES_CODE_LINK " + c + " 201 OK",
        "HES_CODE_VIEW " + c + " 200 OK",
        "HES_CODE_UPDATE " + c + " 200 OK",
        "HES_CODE_REMOVE " + c + " 204 OK",
        "HOLDER_SESSION_END - 204 OK",
        "HES_CODE_VIEW " + c + " 403 HOLDER_CHECK_REQUIRED");
    // The change itself is in the card's audit under the holder, as on the citizen path.
    assertThat(environment.column("SELECT action FROM audit_log WHERE card_no = " + card + " ORDER BY id"))
        .containsExactly("HES_LINK", "HES_UPDATE", "HES_REMOVE");
  }

  @Test
  void theAuditNamesTheHolderByKeyedHashAndHoldsNoPersonalData() {
    SeededPerson person = seeder.person("Elif", "Şahin", 1);
    String session = session(person, person.card());
    String code = issue(person);
    assertThat(link(session, person.card(), code).statusCode()).isEqualTo(201);
    auditRows(3);
    List<String> rows = environment.column("SELECT row_to_json(a)::text FROM agent_actions a WHERE agent_id = '" + agent + "'");
    for (String row : rows) {
      assertThat(row).doesNotContain(person.documentNumber()).doesNotContain(person.phone().substring(1))
          .doesNotContain(code).doesNotContain(person.lastName());
    }
    assertThat(environment.column("SELECT count(DISTINCT encode(holder_hash, 'hex')) FROM agent_actions WHERE agent_id = '"
        + agent + "'")).containsExactly("1");
    assertThat(environment.column("SELECT count(*) FROM agent_actions a JOIN owners o ON o.identity_hash = a.holder_hash "
        + "WHERE a.agent_id = '" + agent + "'")).as("the hash is the owner's lookup hash").containsExactly("3");
  }

  @Test
  void withoutAConfirmedCheckAnAgentIsRefused() {
    SeededPerson person = seeder.person("Ali", "Demir", 1);
    long card = person.card();
    assertProblem(view(null, card), 403, "HOLDER_CHECK_REQUIRED");
    assertProblem(link(null, card, issue(person)), 403, "HOLDER_CHECK_REQUIRED");
    assertProblem(view("not-a-session", card), 403, "HOLDER_CHECK_REQUIRED");
    assertProblem(view("A".repeat(43), card), 403, "HOLDER_CHECK_REQUIRED");

    // A started but unconfirmed check gives nothing; a wrong code is refused, and so is its check's id as a session.
    HttpResponse<Buffer> started = startCheck(card, tckn(person), null);
    String checkId = started.bodyAsJsonObject().getString("checkId");
    assertProblem(view(checkId, card), 403, "HOLDER_CHECK_REQUIRED");
    String right = environment.lastCodeSentTo(person.phone());
    String wrong = right.equals("000000") ? "000001" : "000000";
    assertProblem(confirm(checkId, wrong), 422, "CHALLENGE_FAILED");
    assertThat(confirm(checkId, right).statusCode()).isEqualTo(200);
    assertProblem(confirm(checkId, right), 422, "CHALLENGE_FAILED");
    assertThat(node.reason(card)).isEqualTo("NO_HES_CODE");
  }

  @Test
  void aCheckForAnotherCardOrAnotherPersonIsRefused() {
    SeededPerson holder = seeder.person("Mehmet", "Öztürk", 2);
    SeededPerson other = seeder.person("Fatma", "Çelik", 1);
    String session = session(holder, holder.cards().get(0));

    // The session is for the first card only, even of the same holder.
    assertProblem(view(session, holder.cards().get(1)), 403, "HOLDER_SESSION_MISMATCH");
    assertProblem(link(session, other.card(), issue(other)), 403, "HOLDER_SESSION_MISMATCH");
    // Another person's identity for the holder's card, and a card no one has, are the same refusal; no SMS goes out.
    int sent = environment.sms().messages(null).size();
    assertProblem(startCheck(holder.card(), tckn(other), null), 403, "CARD_NOT_OWNED");
    assertProblem(startCheck(CardSeeder.unusedCardNumber(), tckn(holder), null), 403, "CARD_NOT_OWNED");
    assertThat(environment.sms().messages(null)).hasSize(sent);
    // Another agent cannot use this agent's session or confirm its checks.
    String otherAgent = node.agentToken(agent + "-b", point);
    HttpResponse<Buffer> borrowed = send(HttpMethod.GET, hesPath(holder.card()), session, null, otherAgent);
    assertProblem(borrowed, 403, "HOLDER_SESSION_MISMATCH");
    HttpResponse<Buffer> started = startCheck(holder.cards().get(1), tckn(holder), null);
    String code = environment.lastCodeSentTo(holder.phone());
    HttpResponse<Buffer> confirmedByOther = send(HttpMethod.POST,
        "/v1/points/holder-checks/" + started.bodyAsJsonObject().getString("checkId") + "/confirm", null,
        new JsonObject().put("code", code).toBuffer(), otherAgent);
    assertProblem(confirmedByOther, 403, "HOLDER_SESSION_MISMATCH");
  }

  @Test
  void everySeedErrorComesThroughTheAgentPathAsOnTheCitizenPath() {
    SeededPerson holder = seeder.person("Hasan", "Aydın", 2);
    long first = holder.cards().get(0);
    long second = holder.cards().get(1);
    String session = session(holder, first);
    String secondSession = session(holder, second);

    assertProblem(view(session, first), 404, "NO_HES_CODE");
    assertProblem(update(session, first, issue(holder)), 404, "NO_HES_CODE");
    assertProblem(link(session, first, "G1B5-6449"), 400, "INVALID_HES_CODE");
    assertProblem(link(session, first, "ZZ77ZZ77ZZ"), 422, "UNKNOWN_HES_CODE");
    assertProblem(link(session, first, issue(holder, Status.RISKLESS, LocalDateTime.now(ISTANBUL).minusHours(1))),
        422, "HES_CODE_EXPIRED");
    assertProblem(link(session, first, issue(seeder.person("Başka", "Biri", 1))), 403, "HES_NOT_OWNED");
    String code = issue(holder);
    assertThat(link(session, first, code).statusCode()).isEqualTo(201);
    assertProblem(link(session, first, issue(holder)), 409, "HES_ALREADY_PRESENT");
    assertProblem(link(secondSession, second, code), 409, "HES_LINKED_TO_OTHER_CARD");
    ministry.faults(Faults.goDown());
    HttpResponse<Buffer> unavailable = update(session, first, issue(holder));
    assertProblem(unavailable, 503, "MINISTRY_UNAVAILABLE");
    assertThat(Integer.parseInt(unavailable.getHeader("Retry-After"))).isPositive();
    ministry.clearFaults();

    // An anonymous card: a check for its personalization, but no HES code before it is personalized.
    long anonymous = seeder.create(CardClass.ANONYMOUS);
    String phone = Pii.register("+905551" + (100_000 + STAFF.get()));
    HttpResponse<Buffer> started = startCheck(anonymous, tckn(holder), phone);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    String anonymousSession = confirm(started.bodyAsJsonObject().getString("checkId"), environment.lastCodeSentTo(phone))
        .bodyAsJsonObject().getString("holderSession");
    assertProblem(link(anonymousSession, anonymous, issue(holder)), 403, "CARD_NOT_OWNED");
    assertProblem(view(anonymousSession, anonymous), 403, "CARD_NOT_OWNED");
  }

  @Test
  void anAnonymousCardIsPersonalizedAtThePointWithTheConsentsCollectedThere() {
    SeededPerson holder = seeder.person("Ayşe", "Yıldız", 1);
    long anonymous = seeder.create(CardClass.ANONYMOUS);
    assertThat(node.reason(anonymous)).isEqualTo("NOT_PERSONALIZED");
    assertProblem(startCheck(anonymous, tckn(holder), null), 400, "PHONE_REQUIRED");
    String phone = Pii.register("+905552" + (100_000 + STAFF.get()));
    HttpResponse<Buffer> started = startCheck(anonymous, tckn(holder), phone);
    assertThat(started.bodyAsJsonObject().getString("phoneHint")).endsWith(phone.substring(phone.length() - 2));
    String session = confirm(started.bodyAsJsonObject().getString("checkId"), environment.lastCodeSentTo(phone))
        .bodyAsJsonObject().getString("holderSession");
    JsonObject owner = new JsonObject().put("firstName", holder.firstName()).put("lastName", holder.lastName())
        .put("birthYear", 1980).put("consents", new JsonObject().put("kvkkNotice", true).put("hesDataSharing", false))
        .put("kioskVersion", "7.1");
    String path = "/v1/points/cards/" + CardNumber.format(anonymous) + "/owner";
    assertProblem(send(HttpMethod.PUT, path, session, owner), 400, "CONSENT_REQUIRED");
    owner.getJsonObject("consents").put("hesDataSharing", true);

    HttpResponse<Buffer> personalized = send(HttpMethod.PUT, path, session, owner);

    assertThat(personalized.statusCode()).as(personalized.bodyAsString()).isEqualTo(200);
    assertThat(personalized.bodyAsJsonObject().getBoolean("alreadyOwned")).isFalse();
    assertThat(node.reason(anonymous)).isEqualTo("NO_HES_CODE");
    assertThat(environment.column("SELECT kind || ' ' || collected_at_point FROM consents WHERE card_no = " + anonymous
        + " ORDER BY kind")).containsExactly("HES_DATA_SHARING " + point, "KVKK_NOTICE " + point);
    // The holder now has two cards; the personalized one rides once a code is linked through the same session.
    assertThat(link(session, anonymous, issue(holder)).statusCode()).isEqualTo(201);
    assertThat(node.reason(anonymous)).isEqualTo("OK");
    // Someone else's card cannot be personalized with a session of one's own.
    long othersAnonymous = seeder.create(CardClass.ANONYMOUS);
    assertProblem(send(HttpMethod.PUT, "/v1/points/cards/" + CardNumber.format(othersAnonymous) + "/owner", session, owner),
        403, "HOLDER_SESSION_MISMATCH");
  }

  @Test
  void aDisabledAgentOrPointIsRefusedAtOnceWithoutARestart() {
    SeededPerson holder = seeder.person("Can", "Arslan", 1);
    String session = session(holder, holder.card());
    assertProblem(view(session, holder.card()), 404, "NO_HES_CODE");

    switchAccess("points", point, false);
    assertProblem(view(session, holder.card()), 403, "POINT_ACCESS_DISABLED");
    assertProblem(startCheck(holder.card(), tckn(holder), null), 403, "POINT_ACCESS_DISABLED");
    switchAccess("points", point, true);
    assertProblem(view(session, holder.card()), 404, "NO_HES_CODE");

    switchAccess("agents", agent, false);
    JsonObject refused = assertProblem(view(session, holder.card()), 403, "POINT_ACCESS_DISABLED");
    assertThat(refused.getString("detail")).contains("agent " + agent);
    // Another agent at the same point goes on.
    HttpResponse<Buffer> colleague = send(HttpMethod.GET, hesPath(holder.card()), null, null, node.agentToken(agent + "-c", point));
    assertProblem(colleague, 403, "HOLDER_CHECK_REQUIRED");
    switchAccess("agents", agent, true);
    assertProblem(view(session, holder.card()), 404, "NO_HES_CODE");

    JsonObject access = node.operator(HttpMethod.GET, "/admin/v1/points/access", null).bodyAsJsonObject();
    assertThat(access.getJsonArray("access").stream().map(JsonObject.class::cast)
        .filter(entry -> entry.getString("id").equals(agent)).findFirst().orElseThrow().getBoolean("enabled")).isTrue();
    assertThat(environment.column("SELECT count(*) FROM point_access_changes WHERE staff_id IN ('" + agent + "', '" + point + "')"))
        .containsExactly("4");
    assertThat(auditRows(8)).contains("HES_CODE_VIEW " + holder.card() + " 403 POINT_ACCESS_DISABLED");
  }

  private static void switchAccess(String kind, String id, boolean enabled) {
    HttpResponse<Buffer> switched = node.operator(HttpMethod.PUT, "/admin/v1/points/access/" + kind + "/" + id,
        new JsonObject().put("enabled", enabled).put("changedBy", "ops.ayse").put("why", "terminal reported stolen"));
    assertThat(switched.statusCode()).as(switched.bodyAsString()).isEqualTo(200);
    assertThat(switched.bodyAsJsonObject().getBoolean("enabled")).isEqualTo(enabled);
  }

  @Test
  void theAdminSwitchRefusesBadInput() {
    assertProblem(node.operator(HttpMethod.PUT, "/admin/v1/points/access/agents/bad%20id",
        new JsonObject().put("enabled", false).put("changedBy", "ops").put("why", "x")), 400, "INVALID_STAFF_ID");
    assertProblem(node.operator(HttpMethod.PUT, "/admin/v1/points/access/cashiers/a1",
        new JsonObject().put("enabled", false).put("changedBy", "ops").put("why", "x")), 404, "NOT_FOUND");
    assertProblem(node.operator(HttpMethod.PUT, "/admin/v1/points/access/agents/a1",
        new JsonObject().put("enabled", "no").put("changedBy", "ops").put("why", "x")), 400, "INVALID_REQUEST");
    assertProblem(node.operator(HttpMethod.PUT, "/admin/v1/points/access/agents/a1",
        new JsonObject().put("enabled", false).put("why", "x")), 400, "INVALID_REQUEST");
    assertProblem(node.admin(HttpMethod.PUT, "/admin/v1/points/access/agents/a1", Buffer.buffer("{"), environment.operatorToken()),
        400, "MALFORMED_JSON");
  }

  @Test
  void onlyStaffTokensWithTheAgentRoleAreAccepted() {
    SeededPerson holder = seeder.person("Deniz", "Koç", 1);
    String path = hesPath(holder.card());
    assertProblem(node.points(HttpMethod.GET, path, Map.of(), null), 401, "UNAUTHORIZED");
    // A citizen's token (another provider's key, issuer and audience) is not a staff token.
    HttpResponse<Buffer> citizen = send(HttpMethod.GET, path, null, null, node.citizenToken(holder.subject()));
    assertProblem(citizen, 401, "UNAUTHORIZED");
    assertThat(citizen.getHeader("WWW-Authenticate")).contains("points");
    assertProblem(send(HttpMethod.GET, path, null, null, node.agentToken(agent, point, "CASHIER")), 403, "AGENT_ROLE_REFUSED");
    // A staff token without a point, or with ids that are not staff ids, names no agent.
    String noPoint = environment.staffProvider().mint(environment.vertx(), agent, node.node().config().points().tokenIssuer(),
        node.node().config().points().tokenAudience(), Duration.ofMinutes(5));
    assertProblem(send(HttpMethod.GET, path, null, null, noPoint), 401, "UNAUTHORIZED");
    assertProblem(send(HttpMethod.GET, path, null, null, node.agentToken("agent 1", point)), 401, "UNAUTHORIZED");
  }

  @Test
  void badInputGetsItsProblemAndChangesNothing() {
    SeededPerson holder = seeder.person("Burak", "Güneş", 1);
    String checks = "/v1/points/holder-checks";
    assertProblem(send(HttpMethod.POST, checks, null, Buffer.buffer("{\"card\":"), node.agentToken(agent, point)), 400,
        "MALFORMED_JSON");
    assertProblem(send(HttpMethod.POST, checks, null, new JsonObject().put("card", 4000123456789012L).put("identity", tckn(holder))),
        400, "INVALID_REQUEST");
    assertProblem(startCheck(holder.card(), new JsonObject(), null), 400, "MISSING_IDENTITY");
    assertProblem(send(HttpMethod.POST, checks, null, new JsonObject().put("card", "4000 1234").put("identity", tckn(holder))),
        400, "INVALID_CARD");
    // Arabic-Indic digits look like a TCKN and are not one.
    String lookAlike = holder.documentNumber().chars().mapToObj(c -> String.valueOf((char) ('\u0660' + (c - '0'))))
        .reduce("", String::concat);
    assertProblem(startCheck(holder.card(), new JsonObject().put("tckn", lookAlike), null), 400, "INVALID_TCKN");
    assertProblem(startCheck(holder.card(), new JsonObject().put("passport", "P1234567"), null), 400, "INVALID_NATIONALITY");
    assertProblem(startCheck(CardSeeder.unusedCardNumber(), tckn(holder), "12"), 400, "INVALID_PHONE");
    assertProblem(send(HttpMethod.POST, checks, null, Buffer.buffer("{\"card\":\"" + "1".repeat(20_000) + "\"}"),
        node.agentToken(agent, point)), 413, "BODY_TOO_LARGE");
    assertProblem(confirm("x".repeat(22), "123456"), 422, "CHALLENGE_FAILED");
    assertProblem(send(HttpMethod.GET, "/v1/points/cards/12/hes-code", null, (JsonObject) null), 400, "INVALID_CARD");
    // Unknown fields are tolerated.
    HttpResponse<Buffer> tolerated = send(HttpMethod.POST, checks, null,
        new JsonObject().put("card", CardNumber.format(holder.card())).put("identity", tckn(holder)).put("counter", 3));
    assertThat(tolerated.statusCode()).as(tolerated.bodyAsString()).isEqualTo(201);
    assertThat(node.reason(holder.card())).isEqualTo("NO_HES_CODE");
  }

  @Test
  void agentsAndPointsHaveTheirOwnRateLimits() {
    SeededPerson holder = seeder.person("Selin", "Acar", 1);
    String path = hesPath(holder.card());
    RateWindows.awaitRoom(Duration.ofSeconds(15));
    for (int i = 0; i < AGENT_LIMIT; i++) {
      assertProblem(view(null, holder.card()), 403, "HOLDER_CHECK_REQUIRED");
    }
    HttpResponse<Buffer> limited = view(null, holder.card());
    assertProblem(limited, 429, "RATE_LIMITED");
    assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isBetween(1, 60);
    // A colleague at the same point goes on until the point's own limit.
    String colleague = node.agentToken(agent + "-d", point);
    int beforePointLimit = POINT_LIMIT - AGENT_LIMIT;
    for (int i = 0; i < beforePointLimit; i++) {
      assertProblem(send(HttpMethod.GET, path, null, null, colleague), 403, "HOLDER_CHECK_REQUIRED");
    }
    assertProblem(send(HttpMethod.GET, path, null, null, colleague), 429, "RATE_LIMITED");
  }

  @Test
  void holderChecksAreLimitedPerAgentBecauseEachSendsAnSms() {
    SeededPerson holder = seeder.person("Emre", "Polat", 1);
    int limit = node.node().config().points().holderChecksPerAgentPerMinute();
    int sent = environment.sms().messages(holder.phone()).size();
    RateWindows.awaitRoom(Duration.ofSeconds(15));
    for (int i = 0; i < limit; i++) {
      assertThat(startCheck(holder.card(), tckn(holder), null).statusCode()).isEqualTo(201);
    }
    assertProblem(startCheck(holder.card(), tckn(holder), null), 429, "RATE_LIMITED");
    assertThat(environment.sms().messages(holder.phone())).hasSize(sent + limit);
  }
}
