package istanbul.hes.campaign;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static istanbul.hes.testing.TestNode.jsonWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.simulator.push.PushSimulator;
import istanbul.hes.simulator.sms.SmsSimulator;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The personalization campaign on a started node: contacts through the citizen listener, campaigns
 * through the admin listener, notices through the SMS and push simulators; opt-outs by link and by
 * keyword, quiet hours, the send rate, retries and refusals.
 */
class CampaignApiTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final String SMS_TOKEN = "sms-gateway-replies-token-0123456789";
  private static final Pattern OPT_OUT_LINK = Pattern.compile("bildirim-iptal\\?t=([0-9]+\\.[A-Za-z0-9_-]{22})");

  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of(
      "campaigns.smsInboundToken", SMS_TOKEN,
      "campaigns.retryBackoffSeconds", "1",
      "campaigns.maxAttempts", "2",
      "statistics.flushSeconds", "1",
      "citizen.challengesPerPersonPerMinute", "100",
      "citizen.requestsPerAddressPerMinute", "100000"));

  private static TestEnvironment environment;
  private static TestNode node;
  private static ContactSeeder contacts;
  private static SmsSimulator sms;
  private static PushSimulator push;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
    contacts = new ContactSeeder(environment);
    sms = environment.sms();
    push = environment.push();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static JsonObject campaign(List<String> channels, int rate) {
    return new JsonObject()
        .put("name", "Kişiselleştirme Kasım")
        .put("templates", new JsonObject()
            .put("tr", "İstanbulkart'ınızı ({card}) kişiselleştirin: {url} — bildirim istemiyorsanız: {optOut}")
            .put("en", "Personalize your Istanbulkart ({card}): {url} - no more notices: {optOut}"))
        .put("personalizationUrl", "https://kart.istanbul/kisisellestir")
        .put("channels", new JsonArray(channels))
        .put("ratePerSecond", rate)
        .put("createdBy", "ops.ayse");
  }

  private static long create(JsonObject campaign) {
    HttpResponse<Buffer> created = node.operator(HttpMethod.POST, "/admin/v1/campaigns", campaign);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("state")).isEqualTo("DRAFT");
    return created.bodyAsJsonObject().getLong("id");
  }

  private static JsonObject act(long id, String action) {
    HttpResponse<Buffer> answer = node.operator(HttpMethod.POST, "/admin/v1/campaigns/" + id + "/" + action,
        new JsonObject().put("changedBy", "ops.ayse"));
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject();
  }

  private static JsonObject describe(long id) {
    return node.operator(HttpMethod.GET, "/admin/v1/campaigns/" + id, null).bodyAsJsonObject();
  }

  private static JsonObject awaitState(long id, String state) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> describe(id).getString("state").equals(state));
    return describe(id);
  }

  private static long delivered(ContactSeeder.Seeded contact) {
    return contact.channel() == Channel.SMS ? sms.counts().recipients().getOrDefault(contact.address(), 0L)
        : push.counts().recipients().getOrDefault(contact.address(), 0L);
  }

  private static String lastText(ContactSeeder.Seeded contact) {
    if (contact.channel() == Channel.SMS) {
      List<SmsSimulator.Message> messages = sms.messages(contact.address());
      return messages.get(messages.size() - 1).text();
    }
    List<PushSimulator.Notification> notifications = push.notifications(contact.address());
    return notifications.get(notifications.size() - 1).body();
  }

  // ---- contacts ------------------------------------------------------------------------------

  @Test
  void aPersonRegistersAPhoneOrAnAppForAnAnonymousCardAndRemovesIt() {
    SeededPerson person = node.seeder().person("Derya", "Ak", 1);
    String token = node.citizenToken(person.subject());
    long card = node.seeder().create(CardClass.ANONYMOUS);
    String path = "/v1/cards/" + CardNumber.format(card) + "/contact";
    String phone = Pii.register("+905559" + (100_000 + (int) (Math.random() * 800_000)));
    HttpResponse<Buffer> challenge = node.citizen(HttpMethod.POST, "/v1/challenges", jsonWithToken(token),
        new JsonObject().put("phone", phone).toBuffer());
    String challengeId = challenge.bodyAsJsonObject().getString("challengeId");
    JsonObject body = new JsonObject().put("phone", phone).put("challengeId", challengeId)
        .put("challengeCode", environment.lastCodeSentTo(phone)).put("consent", false);
    assertProblem(node.citizen(HttpMethod.PUT, path, jsonWithToken(token), body.toBuffer()), 400, "CONSENT_REQUIRED");
    body.put("consent", true).put("language", "de");
    assertProblem(node.citizen(HttpMethod.PUT, path, jsonWithToken(token), body.toBuffer()), 400, "INVALID_LANGUAGE");
    body.put("language", "en");
    HttpResponse<Buffer> registered = node.citizen(HttpMethod.PUT, path, jsonWithToken(token), body.toBuffer());
    assertThat(registered.statusCode()).as(registered.bodyAsString()).isEqualTo(200);
    assertThat(registered.bodyAsJsonObject().getString("channel")).isEqualTo("SMS");
    assertThat(registered.bodyAsString()).doesNotContain(phone.substring(3));
    // Encrypted: the phone is nowhere in the row.
    assertThat(environment.column("SELECT encode(address_enc, 'escape') || language FROM campaign_contacts WHERE card_no = " + card))
        .singleElement().asString().doesNotContain(phone.substring(3)).endsWith("en");
    // The challenge was used up.
    assertProblem(node.citizen(HttpMethod.PUT, path, jsonWithToken(token), body.toBuffer()), 422, "CHALLENGE_FAILED");

    JsonObject app = new JsonObject().put("pushToken", "fcm:" + "A".repeat(40)).put("consent", true);
    assertThat(node.citizen(HttpMethod.PUT, path, jsonWithToken(token), app.toBuffer()).statusCode()).isEqualTo(200);
    assertThat(environment.column("SELECT channel FROM campaign_contacts WHERE card_no = " + card)).containsExactly("PUSH");
    assertProblem(node.citizen(HttpMethod.PUT, path, jsonWithToken(token), app.copy().put("pushToken", "short").toBuffer()),
        400, "INVALID_PUSH_TOKEN");
    assertProblem(node.citizen(HttpMethod.PUT, path, jsonWithToken(token), new JsonObject().put("consent", true).toBuffer()),
        400, "INVALID_REQUEST");

    assertThat(node.citizen(HttpMethod.DELETE, path, jsonWithToken(token), null).statusCode()).isEqualTo(204);
    assertThat(environment.column("SELECT (address_enc IS NULL) || ' ' || opt_out_source FROM campaign_contacts WHERE card_no = "
        + card)).containsExactly("true REMOVED");
    assertThat(node.citizen(HttpMethod.DELETE, path, jsonWithToken(token), null).statusCode()).as("a repeated DELETE").isEqualTo(204);
  }

  @Test
  void aPersonalizedCardOrANumberNoCardHasGetsTheSameAnswer() {
    SeededPerson person = node.seeder().person("Ece", "Tan", 1);
    String token = node.citizenToken(person.subject());
    JsonObject app = new JsonObject().put("pushToken", "apns-" + "b".repeat(40)).put("consent", true);
    JsonObject personalized = assertProblem(node.citizen(HttpMethod.PUT, "/v1/cards/" + CardNumber.format(person.card()) + "/contact",
        jsonWithToken(token), app.toBuffer()), 409, "CARD_NOT_AVAILABLE");
    JsonObject unknown = assertProblem(node.citizen(HttpMethod.PUT, "/v1/cards/" + CardNumber.format(CardSeeder.unusedCardNumber())
        + "/contact", jsonWithToken(token), app.toBuffer()), 409, "CARD_NOT_AVAILABLE");
    assertThat(unknown.getString("detail")).isEqualTo(personalized.getString("detail"));
    assertProblem(node.citizen(HttpMethod.PUT, "/v1/cards/12/contact", jsonWithToken(token), app.toBuffer()), 400, "INVALID_CARD");
    assertProblem(node.citizen(HttpMethod.PUT, "/v1/cards/" + CardNumber.format(person.card()) + "/contact", Map.of(),
        app.toBuffer()), 401, "UNAUTHORIZED");
  }

  // ---- campaigns -----------------------------------------------------------------------------

  @Test
  void everyContactGetsOneNoticeInTheirLanguageOnTheirChannel() {
    List<ContactSeeder.Seeded> turkish = contacts.seed(30, 10, "tr");
    List<ContactSeeder.Seeded> english = contacts.seed(5, 5, "en");
    long id = create(campaign(List.of("SMS", "PUSH"), 500));

    JsonObject started = act(id, "start");

    assertThat(started.getString("state")).isEqualTo("RUNNING");
    assertThat(started.getLong("targeted")).isGreaterThanOrEqualTo(50);
    JsonObject done = awaitState(id, "DONE");
    assertThat(done.getLong("remaining")).isZero();
    assertThat(done.getLong("sent") + done.getLong("failed") + done.getLong("optedOut") + done.getLong("skipped"))
        .isEqualTo(done.getLong("targeted"));
    for (ContactSeeder.Seeded contact : turkish) {
      assertThat(delivered(contact)).as("notices to %s", contact.channel()).isEqualTo(1);
      String card = Long.toString(contact.card());
      assertThat(lastText(contact)).startsWith("İstanbulkart'ınızı (" + card.substring(card.length() - 4) + ")")
          .contains("https://kart.istanbul/kisisellestir").containsPattern(OPT_OUT_LINK);
    }
    for (ContactSeeder.Seeded contact : english) {
      assertThat(delivered(contact)).isEqualTo(1);
      assertThat(lastText(contact)).startsWith("Personalize your Istanbulkart");
    }
    assertThat(push.notifications(english.get(9).address()).get(0).title()).isEqualTo("Istanbulkart");
    // A second start is refused: each contact gets at most one notice per campaign.
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns/" + id + "/start", null), 409, "CAMPAIGN_STATE_CONFLICT");
    Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(node.metrics())
        .containsPattern("gateway_campaign_contacts\\{campaign=\"" + id + "\",node=\"[^\"]+\",state=\"remaining\"} 0.0")
        .containsPattern("gateway_campaign_contacts\\{campaign=\"" + id + "\",node=\"[^\"]+\",state=\"targeted\"} "
            + done.getLong("targeted") + ".0"));
  }

  @Test
  void optOutsByLinkAndByKeywordAreHonouredAtOnce() {
    List<ContactSeeder.Seeded> first = contacts.seed(3, 0, "tr");
    long warmUp = create(campaign(List.of("SMS"), 500));
    act(warmUp, "start");
    awaitState(warmUp, "DONE");
    // The opt-out link of a notice received: no login, the token is the proof.
    Matcher link = OPT_OUT_LINK.matcher(lastText(first.get(0)));
    assertThat(link.find()).isTrue();
    HttpResponse<Buffer> optedOut = node.citizen(HttpMethod.POST, "/v1/notices/opt-out", Map.of("Content-Type", "application/json"),
        new JsonObject().put("token", link.group(1)).toBuffer());
    assertThat(optedOut.statusCode()).as(optedOut.bodyAsString()).isEqualTo(200);
    String forged = link.group(1).substring(0, link.group(1).length() - 2) + (link.group(1).endsWith("AA") ? "BB" : "AA");
    assertProblem(node.citizen(HttpMethod.POST, "/v1/notices/opt-out", Map.of("Content-Type", "application/json"),
        new JsonObject().put("token", forged).toBuffer()), 400, "INVALID_OPT_OUT_TOKEN");
    // A keyword reply from the second phone, forwarded by the SMS gateway.
    Map<String, String> gateway = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + SMS_TOKEN);
    HttpResponse<Buffer> keyword = node.citizen(HttpMethod.POST, "/v1/notices/sms-replies", gateway,
        new JsonObject().put("from", first.get(1).address()).put("text", "  iptal lütfen").toBuffer());
    assertThat(keyword.bodyAsJsonObject().getInteger("optedOut")).isEqualTo(1);
    assertThat(node.citizen(HttpMethod.POST, "/v1/notices/sms-replies", gateway,
        new JsonObject().put("from", first.get(2).address()).put("text", "teşekkürler").toBuffer()).bodyAsJsonObject()
        .getInteger("optedOut")).isZero();
    assertProblem(node.citizen(HttpMethod.POST, "/v1/notices/sms-replies", Map.of("Content-Type", "application/json",
        "Authorization", "Bearer wrong-token-wrong-token-wrong"), new JsonObject().put("from", first.get(1).address())
        .put("text", "IPTAL").toBuffer()), 401, "UNAUTHORIZED");

    // The next campaign reaches only the third; mid-campaign opt-outs hold from the next claim.
    List<ContactSeeder.Seeded> later = contacts.seed(20, 0, "tr");
    long id = create(campaign(List.of("SMS"), 500));
    act(id, "start");
    act(id, "pause");
    node.citizen(HttpMethod.POST, "/v1/notices/sms-replies", gateway,
        new JsonObject().put("from", later.get(19).address()).put("text", "STOP").toBuffer());
    long optOutsBefore = describe(id).getLong("optedOut");
    act(id, "resume");
    JsonObject done = awaitState(id, "DONE");
    assertThat(delivered(first.get(0))).as("opted out by link").isEqualTo(1);
    assertThat(delivered(first.get(1))).as("opted out by keyword").isEqualTo(1);
    assertThat(delivered(first.get(2))).isEqualTo(2);
    assertThat(delivered(later.get(19))).as("opted out while paused").isZero();
    assertThat(done.getLong("optedOut")).isEqualTo(optOutsBefore + 1);
  }

  @Test
  void nothingIsSentInQuietHoursAndTheRateIsKept() {
    List<ContactSeeder.Seeded> seeded = contacts.seed(400, 0, "tr");
    LocalTime now = LocalTime.now(ISTANBUL);
    LocalTime quietEnd = now.plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    JsonObject quiet = campaign(List.of("SMS"), 100).put("quietHours", new JsonObject()
        .put("from", now.minusMinutes(1).format(DateTimeFormatter.ofPattern("HH:mm:ss")))
        .put("to", quietEnd.format(DateTimeFormatter.ofPattern("HH:mm:ss"))));
    sms.clear();
    long id = create(quiet);
    act(id, "start");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> describe(id).getLong("sent") >= 50);
    var counts = sms.counts();
    Instant firstDelivery = counts.first();
    assertThat(firstDelivery.atZone(ISTANBUL).toLocalTime()).as("first notice after the quiet hours").isAfterOrEqualTo(quietEnd);
    JsonObject done = awaitState(id, "DONE");
    counts = sms.counts();
    double seconds = Duration.between(counts.first(), counts.last()).toMillis() / 1000.0;
    double rate = (counts.total() - 1) / seconds;
    System.out.printf("CampaignApiTest: %d notices in %.2f s, %.1f per second (setting 100)%n", counts.total(), seconds, rate);
    assertThat(rate).as("notices per second (setting 100), %d notices in %.2f s", counts.total(), seconds).isBetween(90.0, 110.0);
    assertThat(counts.total()).isEqualTo(done.getLong("sent"));
    assertThat(seeded).allSatisfy(contact -> assertThat(delivered(contact)).isEqualTo(1));
  }

  @Test
  void refusedNoticesFailAndUnavailableGatewaysAreRetriedThenGivenUp() {
    List<ContactSeeder.Seeded> apps = contacts.seed(0, 3, "tr");
    push.unregister(apps.get(0).address());
    long id = create(campaign(List.of("PUSH"), 500));
    act(id, "start");
    JsonObject done = awaitState(id, "DONE");
    assertThat(done.getLong("failed")).isGreaterThanOrEqualTo(1);
    assertThat(delivered(apps.get(0))).isZero();
    assertThat(delivered(apps.get(1))).isEqualTo(1);
    assertThat(environment.column("SELECT state || ' ' || last_error FROM campaign_targets WHERE campaign_id = " + id
        + " AND contact_id = " + apps.get(0).contactId())).containsExactly("FAILED HTTP 410");

    // The SMS gateway down: one retry a second later (maxAttempts 2), then given up.
    List<ContactSeeder.Seeded> phones = contacts.seed(2, 0, "tr");
    sms.failWith(503);
    try {
      long down = create(campaign(List.of("SMS"), 500));
      act(down, "start");
      JsonObject given = awaitState(down, "DONE");
      assertThat(given.getLong("failed")).isEqualTo(given.getLong("targeted"));
      assertThat(environment.column("SELECT DISTINCT attempts || ' ' || last_error FROM campaign_targets WHERE campaign_id = " + down))
          .containsExactly("2 HTTP 503");
    } finally {
      sms.failWith(0);
    }
    assertThat(delivered(phones.get(0))).isZero();
  }

  @Test
  void aCardPersonalizedBeforeItsTurnIsSkipped() {
    List<ContactSeeder.Seeded> seeded = contacts.seed(2, 0, "tr");
    long id = create(campaign(List.of("SMS"), 500));
    act(id, "start");
    act(id, "pause");
    environment.sql("UPDATE cards SET owner_id = (SELECT min(owner_id) FROM owners) WHERE card_no = " + seeded.get(0).card());
    act(id, "resume");
    JsonObject done = awaitState(id, "DONE");
    assertThat(done.getLong("skipped")).isEqualTo(1);
    assertThat(delivered(seeded.get(0))).isZero();
    assertThat(delivered(seeded.get(1))).isEqualTo(1);
  }

  @Test
  void aCampaignCanTargetCardsThatTappedRecently() {
    List<ContactSeeder.Seeded> seeded = contacts.seed(2, 0, "tr");
    // The first card tapped today: a node flushed its index into the day's set of active cards.
    long tapped = seeded.get(0).card();
    String index = environment.column("SELECT card_index FROM cards WHERE card_no = " + tapped).get(0);
    environment.sql("INSERT INTO statistics_card_deltas (day, card_set, node, indexes) VALUES ('"
        + java.time.LocalDate.now(ISTANBUL) + "', 0, 'test', ARRAY[" + index + "])");
    long id = create(campaign(List.of("SMS"), 500).put("target", new JsonObject().put("activeWithinDays", 7)));
    JsonObject started = act(id, "start");
    awaitState(id, "DONE");
    assertThat(delivered(seeded.get(0))).isEqualTo(1);
    assertThat(delivered(seeded.get(1))).isZero();
    assertThat(started.getLong("targeted")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void badCampaignsAndActionsGetTheirProblems() {
    JsonObject good = campaign(List.of("SMS"), 10);
    JsonObject noUrl = good.copy();
    noUrl.getJsonObject("templates").put("tr", "Kişiselleştirin! {optOut}");
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns", noUrl), 400, "INVALID_REQUEST");
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns", good.copy().put("channels", new JsonArray().add("FAX"))),
        400, "INVALID_REQUEST");
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns", good.copy().put("ratePerSecond", 100_000)), 400,
        "INVALID_REQUEST");
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns", good.copy().put("ratePerSecond", "10")), 400,
        "INVALID_REQUEST");
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns", good.copy().put("quietHours",
        new JsonObject().put("from", "25:00").put("to", "09:00"))), 400, "INVALID_REQUEST");
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns", good.copy().put("personalizationUrl", "http://x")), 400,
        "INVALID_REQUEST");
    assertProblem(node.admin(HttpMethod.POST, "/admin/v1/campaigns", Buffer.buffer("{\"name\":"), environment.operatorToken()),
        400, "MALFORMED_JSON");
    assertProblem(node.operator(HttpMethod.GET, "/admin/v1/campaigns/999999999", null), 404, "UNKNOWN_CAMPAIGN");
    assertProblem(node.operator(HttpMethod.GET, "/admin/v1/campaigns/x1", null), 400, "INVALID_REQUEST");
    long id = create(good.copy().put("extra", "tolerated"));
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns/" + id + "/pause", null), 409, "CAMPAIGN_STATE_CONFLICT");
    assertProblem(node.operator(HttpMethod.POST, "/admin/v1/campaigns/" + id + "/resume", null), 409, "CAMPAIGN_STATE_CONFLICT");
    assertProblem(node.admin(HttpMethod.GET, "/admin/v1/campaigns", (Buffer) null, "wrong"), 401, "UNAUTHORIZED");
    assertThat(node.operator(HttpMethod.GET, "/admin/v1/campaigns", null).bodyAsJsonObject().getJsonArray("campaigns").stream()
        .map(JsonObject.class::cast).anyMatch(campaign -> campaign.getLong("id") == id)).isTrue();
  }
}
