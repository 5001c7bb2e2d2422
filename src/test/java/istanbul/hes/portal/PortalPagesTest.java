package istanbul.hes.portal;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The portal as HTTP sees it, without a browser: the page's files and settings, the headers a
 * page holding a person's token needs, the problems for what it does not serve, and the API's
 * list of a person's cards the profile page shows.
 */
class PortalPagesTest {
  private static final String AUTHORIZE = "https://kimlik.example/oauth/authorize";
  private static final String TOKEN = "https://kimlik.example:8443/oauth/token";

  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of("portal.enabled", "true", "portal.authorizationUrl", AUTHORIZE,
      "portal.tokenUrl", TOKEN));

  private static TestEnvironment environment;
  private static TestNode node;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
  }

  /** The page's texts as the jar carries them. */
  private static String messagesScript() throws IOException {
    try (InputStream in = PortalPages.class.getClassLoader().getResourceAsStream(PortalPages.WEB_ROOT + "/messages.js")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static HttpResponse<Buffer> get(String path) {
    return node.citizen(HttpMethod.GET, path, Map.of(), null);
  }

  @Test
  void thePageIsServedAsAPageHoldingATokenMustBe() {
    HttpResponse<Buffer> page = get("/portal/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    String policy = page.getHeader("Content-Security-Policy");
    assertThat(policy).contains("default-src 'none'").contains("script-src 'self';").contains("style-src 'self';")
        .contains("connect-src 'self' https://kimlik.example:8443;").contains("form-action 'none'")
        .contains("frame-ancestors 'none'").contains("base-uri 'none'").doesNotContain("unsafe");
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.headers().getAll("Set-Cookie")).as("cookies").isEmpty();

    // The policy forbids inline script and inline styles: the page has neither.
    String html = page.bodyAsString();
    Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertThat(scripts.group(1)).contains("src=");
      assertThat(scripts.group(2)).isBlank();
    }
    assertThat(count).isEqualTo(2);
    assertThat(html).doesNotContainPattern("\\son[a-z]+=").doesNotContain(" style=").doesNotContain("<style");
    for (String asset : List.of("/portal/portal.js", "/portal/messages.js", "/portal/portal.css")) {
      HttpResponse<Buffer> file = get(asset);
      assertThat(file.statusCode()).as(asset).isEqualTo(200);
      assertThat(file.getHeader("Content-Security-Policy")).as(asset).isEqualTo(policy);
      assertThat(file.getHeader("Content-Type")).as(asset).startsWith(asset.endsWith(".css") ? "text/css" : "text/javascript");
    }
  }

  @Test
  void thePortalsAnswersCountInTheListenersMetrics() {
    get("/portal/portal.css");
    get("/portal/no-such-file.css");
    String metrics = node.metrics();
    assertThat(metrics).containsPattern("gateway_citizen_answers_total\\{[^}]*code=\"OK\"[^}]*operation=\"portal\"[^}]*status=\"200\"")
        .containsPattern("gateway_citizen_answers_total\\{[^}]*code=\"NOT_FOUND\"[^}]*operation=\"portal\"[^}]*status=\"404\"");
  }

  @Test
  void theAddressWithoutItsSlashLeadsToThePage() {
    // The client follows the 301 to /portal/ (a relative script address on /portal would miss the folder).
    HttpResponse<Buffer> answer = get("/portal");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.followedRedirects()).containsExactly("/portal/");
    assertThat(answer.bodyAsString()).isEqualTo(get("/portal/").bodyAsString());
  }

  @Test
  void theSettingsNameTheIdentityProviderTheConsentVersionsWithTheirTextsAndTheHelplines() throws IOException {
    JsonObject settings = get(PortalPages.SETTINGS).bodyAsJsonObject();
    assertThat(settings.getJsonObject("identityProvider")).isEqualTo(new JsonObject().put("authorizationUrl", AUTHORIZE)
        .put("tokenUrl", TOKEN).put("clientId", "hes-portal"));
    JsonObject consents = settings.getJsonObject("consents");
    assertThat(consents.getString("kvkkNotice")).isEqualTo(node.node().config().citizen().kvkkNoticeVersion());
    assertThat(consents.getString("hesDataSharing")).isEqualTo(node.node().config().citizen().hesDataSharingVersion());
    assertThat(settings.getJsonObject("helplines")).isEqualTo(new JsonObject().put("individual", "153").put("corporate", "444 2 161"));
    JsonArray nationalities = settings.getJsonArray("nationalities");
    assertThat(nationalities.stream().map(JsonObject.class::cast).map(country -> country.getString("code")))
        .hasSizeGreaterThan(200).contains("DEU", "SYR", "IRN", "RUS").doesNotContain("TUR");
    assertThat(nationalities).contains(new JsonObject().put("code", "DEU").put("region", "DE"));
    // The page refuses to personalize with a version whose text it lacks: the configured ones are there.
    String messages = messagesScript();
    assertThat(messages).contains("'" + consents.getString("kvkkNotice") + "': {")
        .contains("'" + consents.getString("hesDataSharing") + "': {");
  }

  @Test
  void everyProblemTheCitizenOperationsAnswerHasTextsInBothLanguages() throws IOException {
    String document = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/openapi.yaml"));
    // The citizen operations' part of the document: from /v1/challenges to the contact routes.
    String citizen = document.substring(document.indexOf("  /v1/challenges:"), document.indexOf("  /v1/cards/{card}/contact:"));
    java.util.Set<String> known = java.util.Arrays.stream(istanbul.hes.http.ProblemCode.values()).map(Enum::name)
        .collect(java.util.stream.Collectors.toSet());
    java.util.Set<String> answered = new java.util.TreeSet<>();
    Matcher codes = Pattern.compile("\\b[A-Z][A-Z_]{4,}\\b").matcher(citizen);
    while (codes.find()) {
      if (known.contains(codes.group())) {
        answered.add(codes.group());
      }
    }
    assertThat(answered).as("codes the document names for the citizen operations")
        .contains("CARD_NOT_OWNED", "HES_NOT_OWNED", "HES_LINKED_TO_OTHER_CARD", "HES_ALREADY_PRESENT", "INVALID_HES_CODE",
            "CHALLENGE_FAILED", "CARD_NOT_AVAILABLE");
    String messages = messagesScript();
    for (String code : answered) {
      assertThat(Pattern.compile("\\n\\s+" + code + ": \\['").matcher(messages).results().count())
          .as("texts of %s (Turkish and English)", code).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/portal/missing.js", "/portal/..%2F..%2Fopenapi.yaml", "/portal/%2e%2e/%2e%2e/logback.xml",
      "/portal/.hidden", "/portal/istanbul/hes/portal/web/index.html"})
  void whatThePortalDoesNotHaveIsAProblemNeverAFile(String path) {
    HttpResponse<Buffer> answer = get(path);
    // A path that leaves /portal/ once normalized is the API's, which asks for a token first.
    assertThat(answer.statusCode()).as(path).isIn(400, 401, 404);
    assertThat(answer.getHeader("Content-Type")).as(path).isEqualTo("application/problem+json");
    assertThat(answer.bodyAsString()).as(path).doesNotContain("<configuration").doesNotContain("openapi:").doesNotContain("<html");
  }

  @Test
  void thePagesAreOnlyRead() {
    assertProblem(node.citizen(HttpMethod.POST, "/portal/", Map.of("Content-Type", "application/json"), Buffer.buffer("{}")),
        405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void theApiAnswersAreNotSniffedEither() {
    HttpResponse<Buffer> answer = node.citizen(HttpMethod.GET, "/v1/cards", Map.of(), null);
    assertProblem(answer, 401, "UNAUTHORIZED");
    assertThat(answer.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.getHeader("Content-Security-Policy")).as("the page's policy is the page's").isNull();
  }

  @Test
  void theProfileListsThePersonsCardsWithTheirCodesMaskedAndNobodyElses() {
    SeededPerson person = node.seeder().person("Selin", "Yıldız", 3);
    SeededPerson other = node.seeder().person("Emre", "Kurt", 1);
    long linked = person.cards().get(0);
    long blocked = person.cards().get(2);
    LocalDate expiry = LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(30);
    node.seeder().linkHes(linked, expiry);
    node.seeder().setBlocked(blocked, true);

    HttpResponse<Buffer> answer = node.citizen(HttpMethod.GET, "/v1/cards",
        Map.of("Authorization", "Bearer " + node.citizenToken(person.subject())), null);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    List<JsonObject> cards = answer.bodyAsJsonObject().getJsonArray("cards").stream().map(JsonObject.class::cast).toList();
    assertThat(cards).extracting(card -> card.getString("card"))
        .containsExactlyElementsOf(person.cards().stream().sorted().map(CardNumber::format).toList());
    JsonObject withCode = cards.stream().filter(card -> card.getString("card").equals(CardNumber.format(linked))).findFirst().orElseThrow();
    assertThat(withCode.getJsonObject("hesCode").getString("hesCode")).matches("[A-Z0-9]{4}-\\*{4}-\\*{2}");
    assertThat(withCode.getJsonObject("hesCode").getString("expiresOn")).isEqualTo(expiry.toString());
    assertThat(withCode.getBoolean("blocked")).isFalse();
    JsonObject blockedCard = cards.stream().filter(card -> card.getString("card").equals(CardNumber.format(blocked))).findFirst().orElseThrow();
    assertThat(blockedCard.getBoolean("blocked")).isTrue();
    assertThat(blockedCard.getValue("hesCode")).isNull();
    assertThat(blockedCard.containsKey("hesCode")).as("null, not left out").isTrue();

    JsonObject nobody = node.citizen(HttpMethod.GET, "/v1/cards",
        Map.of("Authorization", "Bearer " + node.citizenToken("TCKN:" + istanbul.hes.testing.CardSeeder.syntheticTckn())), null)
        .bodyAsJsonObject();
    assertThat(nobody).isEqualTo(new JsonObject().put("cards", new JsonArray()));
    assertThat(other.cards()).doesNotContainAnyElementsOf(person.cards());
  }
}
