package istanbul.hes.simulator.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import istanbul.hes.testing.Await;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The push gateway simulator over HTTP, as the gateway's campaigns, the demo and tests see it. */
class PushSimulatorTest {
  private static final String TOKEN = "fcm:APA91bH-3x_Ab.cD0123456789";
  private static final String OTHER_TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String TITLE = "İstanbulkart";
  private static final String BODY = "Kartınızı kişiselleştirin: indirimleriniz kaybolmasın.";

  private Vertx vertx;
  private PushSimulator simulator;
  private WebClient web;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new PushSimulator("127.0.0.1", 0);
    Await.result(vertx.deployVerticle(simulator));
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    web.close();
    Await.result(vertx.close());
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body) {
    var request = web.request(method, simulator.actualPort(), "127.0.0.1", path).timeout(5_000);
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  private HttpResponse<Buffer> sendRaw(String body) {
    return Await.result(web.post(simulator.actualPort(), "127.0.0.1", "/push").timeout(5_000).sendBuffer(Buffer.buffer(body)));
  }

  private static JsonObject notification(String token, String reference) {
    JsonObject notification = new JsonObject().put("token", token).put("title", TITLE).put("body", BODY);
    return reference == null ? notification : notification.put("reference", reference);
  }

  private HttpResponse<Buffer> push(JsonObject notification) {
    return send(HttpMethod.POST, "/push", notification);
  }

  private HttpResponse<Buffer> push(String token, String reference) {
    return push(notification(token, reference));
  }

  private JsonObject counts() {
    HttpResponse<Buffer> counts = send(HttpMethod.GET, "/push/counts", null);
    assertThat(counts.statusCode()).isEqualTo(200);
    assertThat(counts.getHeader("Content-Type")).isEqualTo("application/json");
    return counts.bodyAsJsonObject();
  }

  private JsonArray listed(String query) {
    HttpResponse<Buffer> list = send(HttpMethod.GET, "/push" + query, null);
    assertThat(list.statusCode()).isEqualTo(200);
    return list.bodyAsJsonObject().getJsonArray("notifications");
  }

  private HttpResponse<Buffer> unregister(String token) {
    return send(HttpMethod.PUT, "/simulator/unregistered", new JsonObject().put("token", token));
  }

  @Test
  void listensOnARandomPortAndKeepsNotificationsPerToken() {
    assertThat(simulator.actualPort()).isPositive();
    assertThat(simulator.pushUrl()).isEqualTo("http://127.0.0.1:" + simulator.actualPort() + "/push");

    HttpResponse<Buffer> first = push(TOKEN, "campaign-7:contact-1");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1));
    assertThat(push(OTHER_TOKEN, null).bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 2));
    assertThat(push(new JsonObject().put("token", TOKEN).put("title", "İkinci").put("body", "ikinci")).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("id", 3));

    JsonArray mine = listed("?token=" + TOKEN);
    assertThat(mine.stream().map(each -> ((JsonObject) each).getLong("id")).toList()).containsExactly(1L, 3L);
    JsonObject kept = mine.getJsonObject(0);
    assertThat(kept.fieldNames()).containsExactlyInAnyOrder("id", "token", "title", "body", "reference", "at");
    assertThat(kept.getString("token")).isEqualTo(TOKEN);
    assertThat(kept.getString("title")).isEqualTo(TITLE);
    assertThat(kept.getString("body")).isEqualTo(BODY);
    assertThat(kept.getString("reference")).isEqualTo("campaign-7:contact-1");
    assertThat(mine.getJsonObject(1).getString("title")).isEqualTo("İkinci");
    assertThat(listed("?token=" + OTHER_TOKEN).getJsonObject(0).fieldNames()).doesNotContain("reference");
    assertThat(listed("").stream().map(each -> ((JsonObject) each).getLong("id")).toList()).containsExactly(1L, 2L, 3L);
    assertThat(listed("?token=unknownunknown0000")).isEmpty();
    assertThat(simulator.notifications(OTHER_TOKEN)).singleElement().extracting(PushSimulator.Notification::id).isEqualTo(2L);

    assertThat(send(HttpMethod.DELETE, "/push", null).statusCode()).isEqualTo(204);
    assertThat(listed("")).isEmpty();
    assertThat(counts().getLong("total")).isZero();
    assertThat(push(TOKEN, "campaign-7:contact-1").bodyAsJsonObject()).as("references forgotten, ids never given twice")
        .isEqualTo(new JsonObject().put("id", 4));
  }

  @Test
  void malformedNotificationsAreRefusedAndNothingIsKept() {
    String[] badTokens = {"", "shorttoken12345", "t".repeat(4_097), "token with spaces 123", "token/with/slashes/123", "tökenwithumlauts1234"};
    for (String token : badTokens) {
      HttpResponse<Buffer> refused = push(token, null);
      assertThat(refused.statusCode()).as("token %s", token).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("token must be 16 to 4096 of A-Z a-z 0-9 : _ . -");
    }
    JsonObject[] bad = {
        notification(TOKEN, null).put("token", 1234567890123456789L),
        notification(TOKEN, null).put("title", ""),
        notification(TOKEN, null).put("title", "t".repeat(201)),
        notification(TOKEN, null).put("title", 7),
        notification(TOKEN, null).put("body", ""),
        notification(TOKEN, null).put("body", "b".repeat(1_001)),
        notification(TOKEN, null).put("body", new JsonArray().add(BODY)),
        notification(TOKEN, null).put("reference", ""),
        notification(TOKEN, null).put("reference", "r".repeat(129)),
        notification(TOKEN, null).put("reference", "campaign 7"),
        notification(TOKEN, null).put("reference", 7),
        notification(TOKEN, null).putNull("reference"),
    };
    for (JsonObject notification : bad) {
      assertThat(push(notification).statusCode()).as("%s", notification).isEqualTo(400);
    }
    for (String field : new String[] {"token", "title", "body"}) {
      JsonObject missing = notification(TOKEN, null);
      missing.remove(field);
      assertThat(push(missing).statusCode()).as("without %s", field).isEqualTo(400);
    }
    HttpResponse<Buffer> notJson = sendRaw("{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "the body must be a JSON object"));
    assertThat(sendRaw("[]").statusCode()).isEqualTo(400);
    assertThat(sendRaw("").statusCode()).isEqualTo(400);
    HttpResponse<Buffer> oversize = sendRaw(notification(TOKEN, null).put("body", "b".repeat(65 * 1024)).encode());
    assertThat(oversize.statusCode()).isEqualTo(413);
    assertThat(oversize.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "body too large"));
    assertThat(listed("")).isEmpty();
    assertThat(counts().getLong("total")).isZero();

    // The limits themselves are accepted, and a 4096-character token can be read back by query.
    String longestToken = "AZaz09:_.-" + "t".repeat(4_086);
    assertThat(push(notification(longestToken, "r".repeat(128)).put("title", "t".repeat(200)).put("body", "b".repeat(1_000))).statusCode())
        .isEqualTo(201);
    assertThat(push("t".repeat(16), null).statusCode()).isEqualTo(201);
    assertThat(listed("?token=" + longestToken)).singleElement()
        .satisfies(kept -> assertThat(((JsonObject) kept).getString("body")).hasSize(1_000));
  }

  @Test
  void aRepeatedReferenceIsAnsweredWithTheFirstIdAndNeitherKeptNorCounted() {
    assertThat(push(TOKEN, "campaign-7:contact-1").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1));
    assertThat(push(OTHER_TOKEN, "campaign-7:contact-2").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 2));
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> repeat = push(TOKEN, "campaign-7:contact-1");
      assertThat(repeat.statusCode()).isEqualTo(200);
      assertThat(repeat.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1).put("duplicate", true));
    }
    assertThat(push(TOKEN, "campaign-8:contact-1").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 3));

    assertThat(listed("").size()).isEqualTo(3);
    JsonObject counts = counts();
    assertThat(counts.getJsonObject("recipients")).isEqualTo(new JsonObject().put(TOKEN, 2).put(OTHER_TOKEN, 1));
    assertThat(counts.getLong("total")).isEqualTo(3);
    assertThat(counts.getLong("duplicates")).isEqualTo(3);
    assertThat(simulator.counts().recipients()).isEqualTo(Map.of(TOKEN, 2L, OTHER_TOKEN, 1L));
  }

  @Test
  void anUnregisteredTokenIsAnswered410AndCountedAsRefused() {
    HttpResponse<Buffer> registered = unregister(OTHER_TOKEN);
    assertThat(registered.statusCode()).isEqualTo(200);
    assertThat(registered.bodyAsJsonObject()).isEqualTo(new JsonObject().put("unregistered", 1));
    assertThat(unregister(OTHER_TOKEN).bodyAsJsonObject()).as("once per token").isEqualTo(new JsonObject().put("unregistered", 1));

    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> gone = push(OTHER_TOKEN, "campaign-7:contact-2");
      assertThat(gone.statusCode()).as("a refused send is not remembered: its repeat is refused again").isEqualTo(410);
      assertThat(gone.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "unregistered"));
    }
    assertThat(push(TOKEN, "campaign-7:contact-1").statusCode()).isEqualTo(201);
    JsonObject counts = counts();
    assertThat(counts.getJsonObject("recipients")).isEqualTo(new JsonObject().put(TOKEN, 1));
    assertThat(counts.getLong("total")).isEqualTo(1);
    assertThat(counts.getLong("refused")).isEqualTo(2);
    assertThat(listed("?token=" + OTHER_TOKEN)).isEmpty();

    // A delivery's repeat stays a duplicate after its token died (it was delivered).
    assertThat(unregister(TOKEN).bodyAsJsonObject()).isEqualTo(new JsonObject().put("unregistered", 2));
    assertThat(push(TOKEN, "campaign-7:contact-1").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1).put("duplicate", true));
    assertThat(push(TOKEN, "campaign-8:contact-1").statusCode()).isEqualTo(410);

    // DELETE /push forgets deliveries, not dead tokens; DELETE /simulator/unregistered revives them.
    assertThat(send(HttpMethod.DELETE, "/push", null).statusCode()).isEqualTo(204);
    assertThat(counts().getLong("refused")).isZero();
    assertThat(push(OTHER_TOKEN, null).statusCode()).isEqualTo(410);
    assertThat(send(HttpMethod.DELETE, "/simulator/unregistered", null).statusCode()).isEqualTo(204);
    assertThat(push(OTHER_TOKEN, "campaign-7:contact-2").statusCode()).isEqualTo(201);
    assertThat(push(TOKEN, null).statusCode()).isEqualTo(201);
  }

  @Test
  void malformedUnregistrationsAreRefused() {
    assertThat(unregister("shorttoken").statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.PUT, "/simulator/unregistered", new JsonObject().put("token", 12345678901234567L)).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.PUT, "/simulator/unregistered", new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.PUT, "/simulator/unregistered", null).statusCode()).isEqualTo(400);
    assertThatThrownBy(() -> simulator.unregister("token with spaces 123")).isInstanceOf(IllegalArgumentException.class);
    assertThat(push(TOKEN, null).statusCode()).isEqualTo(201);
  }

  @Test
  void countsTellTheDeliveriesPerTokenAndTheirFirstAndLastInstants() {
    JsonObject none = new JsonObject().put("recipients", new JsonObject()).put("total", 0).put("duplicates", 0).put("refused", 0)
        .put("unlisted", 0).putNull("first").putNull("last");
    assertThat(counts()).isEqualTo(none);

    push(TOKEN, "c:1");
    push(OTHER_TOKEN, "c:2");
    push(TOKEN, "c:1");
    push(TOKEN, null);
    JsonArray kept = listed("");
    assertThat(counts()).isEqualTo(new JsonObject()
        .put("recipients", new JsonObject().put(TOKEN, 2).put(OTHER_TOKEN, 1))
        .put("total", 3).put("duplicates", 1).put("refused", 0).put("unlisted", 0)
        .put("first", kept.getJsonObject(0).getString("at"))
        .put("last", kept.getJsonObject(2).getString("at")));

    assertThat(send(HttpMethod.DELETE, "/push", null).statusCode()).isEqualTo(204);
    assertThat(counts()).isEqualTo(none);
  }

  @Test
  void countsGoBeyondTheKeptNotifications() {
    int sent = PushSimulator.MAX_NOTIFICATIONS + 2;
    for (int i = 0; i < sent; i++) {
      simulator.record(i < 5 ? OTHER_TOKEN : TOKEN, TITLE, "notification " + i);
    }
    JsonArray kept = listed("");
    assertThat(kept).hasSize(PushSimulator.MAX_NOTIFICATIONS);
    assertThat(kept.getJsonObject(0).getLong("id")).as("the oldest kept").isEqualTo(3);
    assertThat(listed("?token=" + OTHER_TOKEN)).hasSize(3);
    JsonObject counts = counts();
    assertThat(counts.getJsonObject("recipients")).isEqualTo(new JsonObject().put(OTHER_TOKEN, 5).put(TOKEN, sent - 5));
    assertThat(counts.getLong("total")).isEqualTo(sent);
  }

  @Test
  void aFailureCanBeSwitchedOnAndOff() {
    HttpResponse<Buffer> switched = send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 503));
    assertThat(switched.statusCode()).isEqualTo(200);
    assertThat(switched.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", 503));
    HttpResponse<Buffer> lost = push(TOKEN, "c:1");
    assertThat(lost.statusCode()).isEqualTo(503);
    assertThat(lost.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "simulated failure"));
    assertThat(push(new JsonObject().put("malformed", true)).statusCode()).as("failing comes before reading").isEqualTo(503);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 302)).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 600)).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", null).statusCode()).isEqualTo(400);
    assertThat(push(TOKEN, null).statusCode()).as("still failing").isEqualTo(503);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 0)).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("status", 0));
    assertThat(push(TOKEN, "c:1").statusCode()).as("the failed send left no trace").isEqualTo(201);
    simulator.failWith(500);
    assertThat(push(TOKEN, null).statusCode()).isEqualTo(500);
    simulator.failWith(0);
    assertThatThrownBy(() -> simulator.failWith(200)).isInstanceOf(IllegalArgumentException.class);
    assertThat(listed("")).hasSize(1);
    assertThat(counts().getLong("total")).isEqualTo(1);
  }
}
