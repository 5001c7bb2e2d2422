package istanbul.hes.citizen.api;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static istanbul.hes.testing.TestNode.jsonWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.simulator.health.HesCodeRecord;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET/POST/PUT/DELETE /v1/cards/{card}/hes-code on a started node against the simulated Ministry
 * of Health: every seed error code, the race for one code, risk and expiry, and what a tap sees
 * right after each change.
 */
class HesCodeApiTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of("citizen.requestsPerPersonPerMinute", "1000",
        "citizen.requestsPerAddressPerMinute", "100000"));

  private static TestEnvironment environment;
  private static TestNode node;
  private static HealthMinistrySimulator ministry;
  private static CardSeeder seeder;

  @BeforeAll
  static void fromSharedNode() {
    // The race below sends 50 requests of one person at once: above the production per-person limit.
    environment = shared.environment();
    node = shared.node();
    ministry = environment.healthMinistry();
    seeder = node.seeder();
  }

  @AfterEach
  void healMinistry() {
    ministry.clearFaults();
  }

  private static SeededPerson person() {
    return seeder.person("Ayşe Nur", "Yılmaz", 1);
  }

  private static String issue(SeededPerson person, Status status, LocalDateTime expiresAt) {
    return Pii.register(ministry.issue(person.documentNumber(), person.firstName(), person.lastName(), status, expiresAt).hesCode());
  }

  private static String issue(SeededPerson person) {
    return issue(person, Status.RISKLESS, LocalDate.now(ISTANBUL).plusDays(30).atStartOfDay());
  }

  private static String path(long card) {
    return "/v1/cards/" + CardNumber.format(card) + "/hes-code";
  }

  private static HttpResponse<Buffer> send(HttpMethod method, SeededPerson caller, long card, JsonObject body) {
    return node.citizen(method, path(card), jsonWithToken(node.citizenToken(caller.subject())),
        body == null ? null : body.toBuffer());
  }

  private static HttpResponse<Buffer> link(SeededPerson caller, long card, String code) {
    return send(HttpMethod.POST, caller, card, new JsonObject().put("hesCode", code));
  }

  private static HttpResponse<Buffer> update(SeededPerson caller, long card, String code) {
    return send(HttpMethod.PUT, caller, card, new JsonObject().put("hesCode", code));
  }

  private static HttpResponse<Buffer> view(SeededPerson caller, long card) {
    return send(HttpMethod.GET, caller, card, null);
  }

  private static HttpResponse<Buffer> remove(SeededPerson caller, long card) {
    return send(HttpMethod.DELETE, caller, card, null);
  }

  private static String masked(String code) {
    return code.substring(0, 4) + "-****-**";
  }

  @Test
  void theListenersOfPeopleAnswerWithTheBrowserHeadersWithoutThePortalToo() {
    // This node serves no portal (portal.enabled false): the headers are the listeners', not the pages'.
    for (HttpResponse<Buffer> answer : List.of(node.citizen(HttpMethod.GET, "/v1/cards", Map.of(), null),
        node.points(HttpMethod.POST, "/v1/points/holder-checks", Map.of(), null))) {
      assertThat(answer.statusCode()).isEqualTo(401);
      assertThat(answer.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(answer.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(answer.getHeader("X-Frame-Options")).isEqualTo("DENY");
    }
    assertThat(node.citizen(HttpMethod.GET, "/portal/", Map.of(), null).getHeader("Content-Security-Policy"))
        .as("no portal here").isNull();
  }

  @Test
  void aLinkedCodeIsShownMaskedAndTheCardRidesAtOnce() {
    SeededPerson person = person();
    assertThat(node.reason(person.card())).isEqualTo("NO_HES_CODE");
    String code = issue(person);

    HttpResponse<Buffer> linked = link(person, person.card(), code);

    assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(201);
    JsonObject body = linked.bodyAsJsonObject();
    assertThat(body.getString("hesCode")).isEqualTo(masked(code));
    assertThat(body.getString("status")).isEqualTo("RISKLESS");
    assertThat(body.getString("expiresOn")).isEqualTo(LocalDate.now(ISTANBUL).plusDays(30).toString());
    assertThat(linked.bodyAsString()).doesNotContain(code);
    assertThat(node.reason(person.card())).isEqualTo("OK");

    HttpResponse<Buffer> viewed = view(person, person.card());
    assertThat(viewed.statusCode()).isEqualTo(200);
    assertThat(viewed.bodyAsJsonObject().getString("hesCode")).isEqualTo(masked(code));
    assertThat(viewed.bodyAsString()).doesNotContain(code);
    assertThat(auditActions(person.card())).containsExactly("HES_LINK");
  }

  @Test
  void codesAreAcceptedInPrintedFormAndAnyCase() {
    SeededPerson person = person();
    String code = issue(person);
    String printed = code.substring(0, 4).toLowerCase() + "-" + code.substring(4, 8) + " " + code.substring(8);
    assertThat(link(person, person.card(), printed).statusCode()).isEqualTo(201);
    assertThat(node.reason(person.card())).isEqualTo("OK");
  }

  @Test
  void linkingTheSameCodeAgainChangesNothing() {
    SeededPerson person = person();
    String code = issue(person);
    assertThat(link(person, person.card(), code).statusCode()).isEqualTo(201);
    long requests = ministry.requestCount();

    HttpResponse<Buffer> again = link(person, person.card(), code);

    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("hesCode")).isEqualTo(masked(code));
    assertThat(ministry.requestCount()).as("no ministry call for a repeat").isEqualTo(requests);
    assertThat(auditActions(person.card())).containsExactly("HES_LINK");
  }

  @Test
  void aSecondCodeOnACardIsRefusedWithoutAskingTheMinistry() {
    SeededPerson person = person();
    assertThat(link(person, person.card(), issue(person)).statusCode()).isEqualTo(201);
    long requests = ministry.requestCount();
    assertProblem(link(person, person.card(), issue(person)), 409, "HES_ALREADY_PRESENT");
    assertThat(ministry.requestCount()).isEqualTo(requests);
  }

  @Test
  void aCodeLinkedToAnotherCardIsRefused() {
    SeededPerson person = seeder.person("Mehmet", "Öztürk", 2);
    String code = issue(person);
    assertThat(link(person, person.cards().get(0), code).statusCode()).isEqualTo(201);

    assertProblem(link(person, person.cards().get(1), code), 409, "HES_LINKED_TO_OTHER_CARD");
    assertThat(node.reason(person.cards().get(1))).isEqualTo("NO_HES_CODE");
  }

  @Test
  void ofFiftyConcurrentLinksOfOneCodeExactlyOneWins() {
    SeededPerson person = seeder.person("Zeynep", "Kaya", 50);
    String code = issue(person);
    String token = node.citizenToken(person.subject());
    List<Future<HttpResponse<Buffer>>> attempts = new ArrayList<>();
    for (long card : person.cards()) {
      attempts.add(node.citizenAsync(HttpMethod.POST, path(card), jsonWithToken(token),
          new JsonObject().put("hesCode", code).toBuffer()));
    }
    Await.result(Future.join(attempts));

    List<Long> winners = new ArrayList<>();
    for (int i = 0; i < attempts.size(); i++) {
      HttpResponse<Buffer> response = attempts.get(i).result();
      if (response.statusCode() == 201) {
        winners.add(person.cards().get(i));
      } else {
        assertProblem(response, 409, "HES_LINKED_TO_OTHER_CARD");
      }
    }
    assertThat(winners).hasSize(1);
    for (long card : person.cards()) {
      assertThat(node.reason(card)).isEqualTo(winners.contains(card) ? "OK" : "NO_HES_CODE");
    }
    assertThat(count("SELECT count(*) FROM hes_links WHERE card_no IN (" + cardList(person.cards()) + ")")).isEqualTo(1);
  }

  @Test
  void someoneElsesCodeIsRefusedNamingOnlyTheMismatchedParts() {
    SeededPerson caller = seeder.person("Ali", "Demir", 1);
    SeededPerson namesake = seeder.person("Ali", "Demir", 1);
    // The ministry shows an identity number's last three digits: a namesake sharing them (1 in
    // 1,000 random pairs) is indistinguishable by design, and not the case under test.
    while (lastThree(namesake).equals(lastThree(caller))) {
      namesake = seeder.person("Ali", "Demir", 1);
    }
    SeededPerson stranger = seeder.person("Fatma", "Şahin", 1);
    while (lastThree(stranger).equals(lastThree(caller))) {
      stranger = seeder.person("Fatma", "Şahin", 1);
    }

    JsonObject sameNames = assertProblem(link(caller, caller.card(), issue(namesake)), 403, "HES_NOT_OWNED");
    assertThat(sameNames.getString("detail")).contains("identity number").doesNotContain("first name");
    JsonObject other = assertProblem(link(caller, caller.card(), issue(stranger)), 403, "HES_NOT_OWNED");
    assertThat(other.getString("detail")).contains("identity number", "first name", "last name");
    assertThat(node.reason(caller.card())).isEqualTo("NO_HES_CODE");
  }

  private static String lastThree(SeededPerson person) {
    String number = person.documentNumber();
    return number.substring(number.length() - 3);
  }

  @Test
  void turkishCasingDecidesNameMatches() {
    // "Ismail" is not "İsmail": the ministry's İS**** does not match a holder stored as Ismail.
    SeededPerson dotless = seeder.person("Ismail", "Işık", 1);
    String code = Pii.register(ministry.issue(dotless.documentNumber(), "İsmail", "Işık", Status.RISKLESS,
        LocalDate.now(ISTANBUL).plusDays(10).atStartOfDay()).hesCode());
    assertProblem(link(dotless, dotless.card(), code), 403, "HES_NOT_OWNED");

    SeededPerson dotted = seeder.person("İsmail", "Işık", 1);
    String own = Pii.register(ministry.issue(dotted.documentNumber(), "İSMAİL", "IŞIK", Status.RISKLESS,
        LocalDate.now(ISTANBUL).plusDays(10).atStartOfDay()).hesCode());
    assertThat(link(dotted, dotted.card(), own).statusCode()).isEqualTo(201);
  }

  @Test
  void aForeignerLinksTheCodeOfTheirPassport() {
    SeededPerson visitor = seeder.foreigner("DEU", "Anna", "Müller", 1);
    String code = issue(visitor);
    HttpResponse<Buffer> linked = link(visitor, visitor.card(), code);
    assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(201);
    assertThat(node.reason(visitor.card())).isEqualTo("OK");
  }

  @Test
  void anotherPersonsCardAndAnUnknownCardGetTheSameAnswer() {
    SeededPerson owner = person();
    SeededPerson other = person();
    String code = issue(other);
    long unknown = CardSeeder.unusedCardNumber();

    for (long card : new long[] {owner.card(), unknown}) {
      JsonObject onLink = assertProblem(link(other, card, code), 403, "CARD_NOT_OWNED");
      JsonObject onView = assertProblem(view(other, card), 403, "CARD_NOT_OWNED");
      assertProblem(update(other, card, code), 403, "CARD_NOT_OWNED");
      assertProblem(remove(other, card), 403, "CARD_NOT_OWNED");
      assertThat(onLink).isEqualTo(onView);
    }
    assertThat(node.reason(owner.card())).isEqualTo("NO_HES_CODE");
  }

  @Test
  void unknownAndExpiredCodesAreRefused() {
    SeededPerson person = person();
    assertProblem(link(person, person.card(), "ZZ99ZZ99ZZ"), 422, "UNKNOWN_HES_CODE");
    String expired = issue(person, Status.RISKLESS, LocalDateTime.now(ISTANBUL).minusDays(1));
    assertProblem(link(person, person.card(), expired), 422, "HES_CODE_EXPIRED");
    // Still valid for the ministry for an hour, but today is its expiry day: taps would deny it.
    String expiringToday = issue(person, Status.RISKLESS, LocalDate.now(ISTANBUL).atTime(23, 59, 59));
    assertProblem(link(person, person.card(), expiringToday), 422, "HES_CODE_EXPIRED");
    assertThat(node.reason(person.card())).isEqualTo("NO_HES_CODE");
    assertThat(auditActions(person.card())).isEmpty();
  }

  @Test
  void aCodeExpiringTomorrowRidesTodayAndItsExpiryIsShown() {
    SeededPerson person = person();
    LocalDate tomorrow = LocalDate.now(ISTANBUL).plusDays(1);
    String code = issue(person, Status.RISKLESS, tomorrow.atStartOfDay());
    HttpResponse<Buffer> linked = link(person, person.card(), code);
    assertThat(linked.statusCode()).isEqualTo(201);
    assertThat(linked.bodyAsJsonObject().getString("expiresOn")).isEqualTo(tomorrow.toString());
    assertThat(node.reason(person.card())).isEqualTo("OK");
  }

  @Test
  void aCodeThatNeverExpiresIsShownWithoutExpiry() {
    SeededPerson person = person();
    HttpResponse<Buffer> linked = link(person, person.card(), issue(person, Status.RISKLESS, HesCodeRecord.NO_EXPIRY));
    assertThat(linked.statusCode()).isEqualTo(201);
    assertThat(linked.bodyAsJsonObject().containsKey("expiresOn")).isTrue();
    assertThat(linked.bodyAsJsonObject().getValue("expiresOn")).isNull();
    assertThat(node.reason(person.card())).isEqualTo("OK");
  }

  @Test
  void aRiskyHolderIsDeniedAsSoonAsTheCodeIsLinked() {
    SeededPerson person = seeder.person("Emre", "Çelik", 2);
    HttpResponse<Buffer> linked = link(person, person.cards().get(0), issue(person, Status.RISKY,
        LocalDate.now(ISTANBUL).plusDays(30).atStartOfDay()));
    assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(201);
    assertThat(linked.bodyAsJsonObject().getString("status")).isEqualTo("RISKY");
    assertThat(node.reason(person.cards().get(0))).isEqualTo("HES_RISK");
    // The person is risky, not the card: all their cards stop, linked or not.
    assertThat(node.reason(person.cards().get(1))).isEqualTo("HES_RISK");
  }

  @Test
  void aPersonMadeRiskyBeforeLinkingStaysDeniedOnceLinkedEvenIfTheMinistryCheckSaysRiskless() {
    SeededPerson person = person();
    seeder.setRisky(person, true);
    assertThat(node.reason(person.card())).isEqualTo("HES_RISK");

    HttpResponse<Buffer> linked = link(person, person.card(), issue(person));

    assertThat(linked.statusCode()).isEqualTo(201);
    assertThat(linked.bodyAsJsonObject().getString("status")).isEqualTo("RISKLESS");
    // A citizen-driven check never lifts a suspension the delta feed imposed.
    assertThat(node.reason(person.card())).isEqualTo("HES_RISK");
  }

  @Test
  void anUnreachableMinistryIsA503AndChangesNothing() {
    SeededPerson person = person();
    String code = issue(person);
    for (Faults fault : new Faults[] {Faults.goDown(), Faults.error5xx(500), Faults.resetConnections(), Faults.slow(3_000)}) {
      ministry.faults(fault);
      HttpResponse<Buffer> refused = link(person, person.card(), code);
      assertProblem(refused, 503, "MINISTRY_UNAVAILABLE");
      assertThat(Integer.parseInt(refused.getHeader("Retry-After"))).as("Retry-After for %s", fault).isPositive();
      ministry.clearFaults();
      // Let the breaker close again before the next fault (its pause is short in tests).
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
          .until(() -> link(person, person.card(), "ZZ88ZZ88ZZ").statusCode() == 422);
    }
    assertProblem(view(person, person.card()), 404, "NO_HES_CODE");
    assertThat(node.reason(person.card())).isEqualTo("NO_HES_CODE");
    assertThat(link(person, person.card(), code).statusCode()).isEqualTo(201);
  }

  @Test
  void updateReplacesTheCodeAndFreesTheOldOne() {
    SeededPerson person = seeder.person("Hasan", "Aydın", 2);
    long first = person.cards().get(0);
    long second = person.cards().get(1);
    assertProblem(update(person, first, issue(person)), 404, "NO_HES_CODE");
    String old = issue(person);
    assertThat(link(person, first, old).statusCode()).isEqualTo(201);
    String replacement = issue(person, Status.RISKLESS, LocalDate.now(ISTANBUL).plusDays(60).atStartOfDay());

    HttpResponse<Buffer> updated = update(person, first, replacement);

    assertThat(updated.statusCode()).as(updated.bodyAsString()).isEqualTo(200);
    assertThat(updated.bodyAsJsonObject().getString("hesCode")).isEqualTo(masked(replacement));
    assertThat(updated.bodyAsJsonObject().getString("expiresOn")).isEqualTo(LocalDate.now(ISTANBUL).plusDays(60).toString());
    assertThat(node.reason(first)).isEqualTo("OK");
    assertThat(link(person, second, old).statusCode()).as("the replaced code is free again").isEqualTo(201);
    assertProblem(update(person, second, replacement), 409, "HES_LINKED_TO_OTHER_CARD");
    assertProblem(update(person, first, issue(seeder.person("Başka", "Biri", 1))), 403, "HES_NOT_OWNED");
    assertThat(auditActions(first)).containsExactly("HES_LINK", "HES_UPDATE");
  }

  @Test
  void updatingToAnExpiredOrUnknownCodeKeepsTheOldOne() {
    SeededPerson person = person();
    String code = issue(person);
    assertThat(link(person, person.card(), code).statusCode()).isEqualTo(201);
    assertProblem(update(person, person.card(), "ZZ77ZZ77ZZ"), 422, "UNKNOWN_HES_CODE");
    assertProblem(update(person, person.card(), issue(person, Status.RISKLESS, LocalDateTime.now(ISTANBUL).minusHours(1))),
        422, "HES_CODE_EXPIRED");
    ministry.faults(Faults.goDown());
    assertProblem(update(person, person.card(), issue(person)), 503, "MINISTRY_UNAVAILABLE");
    ministry.clearFaults();
    assertThat(view(person, person.card()).bodyAsJsonObject().getString("hesCode")).isEqualTo(masked(code));
    assertThat(node.reason(person.card())).isEqualTo("OK");
  }

  @Test
  void removeCancelsTheCodeAndIsSafeToRepeat() {
    SeededPerson person = person();
    String code = issue(person);
    assertThat(link(person, person.card(), code).statusCode()).isEqualTo(201);
    assertThat(node.reason(person.card())).isEqualTo("OK");

    assertThat(remove(person, person.card()).statusCode()).isEqualTo(204);

    assertThat(node.reason(person.card())).isEqualTo("NO_HES_CODE");
    assertProblem(view(person, person.card()), 404, "NO_HES_CODE");
    assertThat(remove(person, person.card()).statusCode()).as("a repeated DELETE").isEqualTo(204);
    assertThat(auditActions(person.card())).containsExactly("HES_LINK", "HES_REMOVE");
    assertThat(link(person, person.card(), code).statusCode()).as("the removed code can be linked again").isEqualTo(201);
  }

  @Test
  void badHesCodesAndBadBodiesGetProblems() {
    SeededPerson person = person();
    long card = person.card();
    String token = node.citizenToken(person.subject());
    long requests = ministry.requestCount();
    for (String bad : new String[] {"", "A1B2C3D4E", "A1B2C3D4E5F", "A1B2_C3D4_E5", " A1B2C3D4E5", "A1B2--C3D4E5",
        "A1B2C3D4Eı", "A1B2C3D4E５", "A1B2C3D4E٥", "Α1Β2C3D4E5" /* Greek capitals */, "A1B2C3D4E\u200B5"}) {
      assertProblem(link(person, card, bad), 400, "INVALID_HES_CODE");
      assertProblem(update(person, card, bad), 400, "INVALID_HES_CODE");
    }
    assertProblem(send(HttpMethod.POST, person, card, new JsonObject().put("hesCode", 1234567890L)), 400, "INVALID_REQUEST");
    assertProblem(send(HttpMethod.POST, person, card, new JsonObject()), 400, "INVALID_REQUEST");
    assertProblem(node.citizen(HttpMethod.POST, path(card), jsonWithToken(token), Buffer.buffer("{\"hesCode\":")), 400,
        "MALFORMED_JSON");
    assertProblem(node.citizen(HttpMethod.POST, path(card), jsonWithToken(token), Buffer.buffer("[\"A1B2C3D4E5\"]")), 400,
        "INVALID_REQUEST");
    Map<String, String> textPlain = new java.util.HashMap<>(jsonWithToken(token));
    textPlain.put("Content-Type", "text/plain");
    assertProblem(node.citizen(HttpMethod.POST, path(card), textPlain, new JsonObject().put("hesCode", "A1B2C3D4E5").toBuffer()),
        415, "UNSUPPORTED_MEDIA_TYPE");
    String huge = "{\"hesCode\":\"A1B2C3D4E5\",\"padding\":\"" + "x".repeat(node.node().config().citizen().maxBodyBytes()) + "\"}";
    assertProblem(node.citizen(HttpMethod.POST, path(card), jsonWithToken(token), Buffer.buffer(huge)), 413, "BODY_TOO_LARGE");
    assertProblem(node.citizen(HttpMethod.POST, "/v1/cards/4000-12x4-0000-0001/hes-code", jsonWithToken(token),
        new JsonObject().put("hesCode", "A1B2C3D4E5").toBuffer()), 400, "INVALID_CARD");
    assertThat(ministry.requestCount()).as("no bad request reached the ministry").isEqualTo(requests);

    // Unknown extra fields are tolerated.
    HttpResponse<Buffer> tolerated = send(HttpMethod.POST, person, card,
        new JsonObject().put("hesCode", issue(person)).put("channel", "mobile").put("nested", new JsonObject().put("x", 1)));
    assertThat(tolerated.statusCode()).as(tolerated.bodyAsString()).isEqualTo(201);
  }

  @Test
  void withoutAValidTokenNothingIsAnswered() {
    SeededPerson person = person();
    HttpResponse<Buffer> anonymous = node.citizen(HttpMethod.GET, path(person.card()), Map.of(), null);
    assertProblem(anonymous, 401, "UNAUTHORIZED");
    assertThat(anonymous.getHeader("WWW-Authenticate")).startsWith("Bearer");
    String foreignToken = istanbul.hes.citizen.auth.DevelopmentTokenIssuer.generated().mint(node.environment().vertx(), person.subject(),
        node.node().config().citizen().tokenIssuer(), node.node().config().citizen().tokenAudience(), java.time.Duration.ofMinutes(5));
    assertProblem(node.citizen(HttpMethod.DELETE, path(person.card()), jsonWithToken(foreignToken), null), 401, "UNAUTHORIZED");
  }

  @Test
  void answersAreCountedByOperationStatusAndCode() {
    SeededPerson person = person();
    assertThat(link(person, person.card(), issue(person)).statusCode()).isEqualTo(201);
    assertProblem(link(person, CardSeeder.unusedCardNumber(), issue(person)), 403, "CARD_NOT_OWNED");
    String metrics = node.metrics();
    assertThat(metrics).containsPattern("gateway_citizen_answers_total\\{[^}]*code=\"OK\"[^}]*operation=\"linkHesCode\"[^}]*status=\"201\"[^}]*\\} [1-9]");
    assertThat(metrics).containsPattern("gateway_citizen_answers_total\\{[^}]*code=\"CARD_NOT_OWNED\"[^}]*operation=\"linkHesCode\"[^}]*status=\"403\"");
    assertThat(metrics).containsPattern("gateway_citizen_request_seconds_bucket\\{[^}]*operation=\"linkHesCode\"");
    assertThat(metrics).containsPattern("(?m)^gateway_ministry_health_breaker_open\\{[^}]*\\} 0");
    assertThat(metrics).contains("gateway_citizen_rate_limit_fail_open_total{");
  }

  @Test
  void nothingPersonalReachesTheLog() {
    SeededPerson person = person();
    String code = issue(person);
    assertThat(link(person, person.card(), code).statusCode()).isEqualTo(201);
    ministry.faults(Faults.goDown());
    assertProblem(update(person, person.card(), issue(person)), 503, "MINISTRY_UNAVAILABLE");
    ministry.clearFaults();
    assertThat(LogCapture.lines()).noneMatch(line -> line.contains(code) || line.contains(person.documentNumber())
        || line.contains("Yılmaz"));
  }

  private static List<String> auditActions(long card) {
    return environment.column("SELECT action FROM audit_log WHERE card_no = " + card + " ORDER BY id");
  }

  private static long count(String sql) {
    return Long.parseLong(environment.column(sql).get(0));
  }

  private static String cardList(List<Long> cards) {
    return String.join(",", cards.stream().map(String::valueOf).toList());
  }
}
