package istanbul.hes.simulator.sms;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The SMS simulator over HTTP, as the gateway's HTTP SMS gateway, its campaigns, the demo and Docker see it. */
class SmsSimulatorTest {
  private static final String PHONE = "+905321112233";
  private static final String OTHER_PHONE = "+905329998877";

  private Vertx vertx;
  private SmsSimulator simulator;
  private WebClient web;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new SmsSimulator("127.0.0.1", 0);
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
    return Await.result(web.post(simulator.actualPort(), "127.0.0.1", "/messages").timeout(5_000).sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> post(String to, String text) {
    return send(HttpMethod.POST, "/messages", new JsonObject().put("to", to).put("text", text));
  }

  private HttpResponse<Buffer> post(String to, String text, String reference) {
    return send(HttpMethod.POST, "/messages", new JsonObject().put("to", to).put("text", text).put("reference", reference));
  }

  private JsonObject counts() {
    HttpResponse<Buffer> counts = send(HttpMethod.GET, "/messages/counts", null);
    assertThat(counts.statusCode()).isEqualTo(200);
    assertThat(counts.getHeader("Content-Type")).isEqualTo("application/json");
    return counts.bodyAsJsonObject();
  }

  private JsonArray listed(String query) {
    HttpResponse<Buffer> list = send(HttpMethod.GET, "/messages" + query, null);
    assertThat(list.statusCode()).isEqualTo(200);
    return list.bodyAsJsonObject().getJsonArray("messages");
  }

  @Test
  void listensOnARandomPortAndRecordsMessagesPerNumber() {
    assertThat(simulator.actualPort()).isPositive();
    assertThat(simulator.messagesUrl()).isEqualTo("http://127.0.0.1:" + simulator.actualPort() + "/messages");

    assertThat(post(PHONE, "HES gateway verification code: 012345").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1));
    assertThat(post(OTHER_PHONE, "other").statusCode()).isEqualTo(201);
    HttpResponse<Buffer> third = post(PHONE, "HES gateway verification code: 999999");
    assertThat(third.statusCode()).isEqualTo(201);
    assertThat(third.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 3));

    JsonArray mine = listed("?to=%2B905321112233");
    assertThat(mine.stream().map(message -> ((JsonObject) message).getString("text")).toList())
        .containsExactly("HES gateway verification code: 012345", "HES gateway verification code: 999999");
    JsonObject firstMessage = mine.getJsonObject(0);
    assertThat(firstMessage.fieldNames()).containsExactlyInAnyOrder("id", "to", "text", "at");
    assertThat(firstMessage.getLong("id")).isEqualTo(1);
    assertThat(firstMessage.getString("to")).isEqualTo(PHONE);
    assertThat(listed("")).hasSize(3);
    assertThat(simulator.messages(OTHER_PHONE)).singleElement().extracting(SmsSimulator.Message::text).isEqualTo("other");

    assertThat(send(HttpMethod.DELETE, "/messages", null).statusCode()).isEqualTo(204);
    assertThat(simulator.messages(null)).isEmpty();
    assertThat(post(PHONE, "after the reset").bodyAsJsonObject().getLong("id")).as("ids are never given twice").isEqualTo(4);
  }

  @Test
  void aSlowGatewayHasTakenTheMessageBeforeItAnswers() {
    simulator.answerDelay(400);
    var pending = web.post(simulator.actualPort(), "127.0.0.1", "/messages").timeout(5_000)
        .sendJsonObject(new JsonObject().put("to", PHONE).put("text", "slow").put("reference", "slow-1"));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(5))
        .until(() -> simulator.counts().total() == 1);
    assertThat(pending.isComplete()).as("answered only after the delay").isFalse();
    assertThat(Await.result(pending).statusCode()).isEqualTo(201);
    simulator.answerDelay(0);
    assertThat(post(PHONE, "slow", "slow-1").statusCode()).as("the same reference again: recognized").isEqualTo(200);
    assertThat(simulator.counts().total()).isEqualTo(1);
  }

  @Test
  void malformedMessagesAreRefusedAndNothingIsKept() {
    assertThat(post("05321112233", "text").statusCode()).isEqualTo(400);
    assertThat(post(PHONE, "").statusCode()).isEqualTo(400);
    assertThat(post(PHONE, "x".repeat(1_601)).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.POST, "/messages", new JsonObject().put("to", 905321112233L).put("text", "x")).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.POST, "/messages", new JsonObject().put("to", PHONE).put("text", 12)).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.POST, "/messages", new JsonObject().put("text", "no number")).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.POST, "/messages", new JsonObject().put("to", PHONE)).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> notJson = sendRaw("{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject().getString("error")).isEqualTo("the body must be a JSON object");
    assertThat(sendRaw("[\"" + PHONE + "\"]").statusCode()).isEqualTo(400);
    assertThat(sendRaw("").statusCode()).isEqualTo(400);
    HttpResponse<Buffer> oversize = sendRaw(new JsonObject().put("to", PHONE).put("text", "x".repeat(17 * 1024)).encode());
    assertThat(oversize.statusCode()).isEqualTo(413);
    assertThat(oversize.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "body too large"));

    assertThat(post(PHONE, "x".repeat(1_600)).statusCode()).as("the longest text").isEqualTo(201);
    assertThat(simulator.messages(null)).hasSize(1);
    assertThat(counts().getLong("total")).isEqualTo(1);
  }

  @Test
  void malformedReferencesAreRefused() {
    for (Object bad : new Object[] {"", "r".repeat(129), "campaign 7", "campaign/7", "kampanya-ş", 42, true, new JsonObject(), new JsonArray()}) {
      HttpResponse<Buffer> refused = send(HttpMethod.POST, "/messages", new JsonObject().put("to", PHONE).put("text", "x").put("reference", bad));
      assertThat(refused.statusCode()).as("reference %s", bad).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("reference, when given, must be 1 to 128 of A-Z a-z 0-9 : _ . -");
    }
    assertThat(send(HttpMethod.POST, "/messages", new JsonObject().put("to", PHONE).put("text", "x").putNull("reference")).statusCode())
        .as("a null reference").isEqualTo(400);
    assertThat(simulator.messages(null)).isEmpty();

    String longest = ("AZaz09:_.-" + "r".repeat(118));
    assertThat(longest).hasSize(128);
    assertThat(post(PHONE, "x", longest).statusCode()).isEqualTo(201);
    assertThat(post(PHONE, "y", "1").statusCode()).isEqualTo(201);
    assertThat(listed("").getJsonObject(0).getString("reference")).isEqualTo(longest);
  }

  @Test
  void aRepeatedReferenceIsAnsweredWithTheFirstIdAndNeitherKeptNorCounted() {
    HttpResponse<Buffer> first = post(PHONE, "Kartınızı kişiselleştirin", "campaign-7:contact-1");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1));
    assertThat(post(OTHER_PHONE, "Kartınızı kişiselleştirin", "campaign-7:contact-2").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 2));

    HttpResponse<Buffer> repeat = post(PHONE, "Kartınızı kişiselleştirin", "campaign-7:contact-1");
    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(repeat.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1).put("duplicate", true));
    // The reference alone decides, whatever the repeat carries.
    assertThat(post(OTHER_PHONE, "another text", "campaign-7:contact-1").bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("id", 1).put("duplicate", true));
    // Another campaign to the same number is another message; so is a message without a reference.
    assertThat(post(PHONE, "Kartınızı kişiselleştirin", "campaign-8:contact-1").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 3));
    assertThat(post(PHONE, "no reference").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 4));
    assertThat(post(PHONE, "no reference").bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 5));

    assertThat(listed("").stream().map(message -> ((JsonObject) message).getLong("id")).toList()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(listed("?to=%2B905321112233").getJsonObject(0).getString("reference")).isEqualTo("campaign-7:contact-1");
    JsonObject counts = counts();
    assertThat(counts.getJsonObject("recipients")).isEqualTo(new JsonObject().put(PHONE, 4).put(OTHER_PHONE, 1));
    assertThat(counts.getLong("total")).isEqualTo(5);
    assertThat(counts.getLong("duplicates")).isEqualTo(2);
    assertThat(counts.getLong("refused")).isZero();
    assertThat(counts.getLong("unlisted")).isZero();
    assertThat(simulator.counts().recipients()).isEqualTo(Map.of(PHONE, 4L, OTHER_PHONE, 1L));

    // DELETE forgets the references too: the repeat after it is a new delivery.
    assertThat(send(HttpMethod.DELETE, "/messages", null).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> afterReset = post(PHONE, "Kartınızı kişiselleştirin", "campaign-7:contact-1");
    assertThat(afterReset.statusCode()).isEqualTo(201);
    assertThat(afterReset.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 6));
  }

  @Test
  void countsTellTheDeliveriesPerNumberAndTheirFirstAndLastInstants() {
    JsonObject none = new JsonObject().put("recipients", new JsonObject()).put("total", 0).put("duplicates", 0).put("refused", 0)
        .put("unlisted", 0).putNull("first").putNull("last");
    assertThat(counts()).isEqualTo(none);

    post(PHONE, "one", "c:1");
    post(OTHER_PHONE, "two", "c:2");
    post(PHONE, "three", "c:3");
    post(PHONE, "three again", "c:3");
    JsonArray messages = listed("");
    assertThat(counts()).isEqualTo(new JsonObject()
        .put("recipients", new JsonObject().put(PHONE, 2).put(OTHER_PHONE, 1))
        .put("total", 3).put("duplicates", 1).put("refused", 0).put("unlisted", 0)
        .put("first", messages.getJsonObject(0).getString("at"))
        .put("last", messages.getJsonObject(2).getString("at")));

    assertThat(send(HttpMethod.DELETE, "/messages", null).statusCode()).isEqualTo(204);
    assertThat(counts()).isEqualTo(none);
  }

  @Test
  void countsGoBeyondTheKeptMessages() {
    int sent = SmsSimulator.MAX_MESSAGES + 3;
    for (int i = 0; i < sent; i++) {
      simulator.record(i % 3 == 0 ? OTHER_PHONE : PHONE, "message " + i);
    }
    JsonArray kept = listed("");
    assertThat(kept).hasSize(SmsSimulator.MAX_MESSAGES);
    assertThat(kept.getJsonObject(0).getLong("id")).as("the oldest kept").isEqualTo(4);
    assertThat(kept.getJsonObject(SmsSimulator.MAX_MESSAGES - 1).getLong("id")).isEqualTo(sent);
    JsonObject counts = counts();
    assertThat(counts.getJsonObject("recipients")).isEqualTo(new JsonObject().put(OTHER_PHONE, 3_335).put(PHONE, 6_668));
    assertThat(counts.getLong("total")).isEqualTo(sent);
  }

  @Test
  void aFailureCanBeSwitchedOnAndOff() {
    HttpResponse<Buffer> switched = send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 503));
    assertThat(switched.statusCode()).isEqualTo(200);
    assertThat(switched.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", 503));
    HttpResponse<Buffer> lost = post(PHONE, "lost", "c:1");
    assertThat(lost.statusCode()).isEqualTo(503);
    assertThat(lost.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "simulated failure"));
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 200)).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", "503")).statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", null).statusCode()).isEqualTo(400);
    assertThat(post(PHONE, "lost too").statusCode()).as("still failing").isEqualTo(503);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 0)).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("status", 0));
    // The failed send left no trace: its reference is new.
    assertThat(post(PHONE, "kept", "c:1").statusCode()).isEqualTo(201);
    simulator.failWith(429);
    assertThat(post(PHONE, "throttled").statusCode()).isEqualTo(429);
    simulator.failWith(0);
    assertThat(simulator.messages(null)).extracting(SmsSimulator.Message::text).containsExactly("kept");
    assertThat(counts().getLong("total")).isEqualTo(1);
  }
}
