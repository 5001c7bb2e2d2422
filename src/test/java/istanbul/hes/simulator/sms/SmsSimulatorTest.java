package istanbul.hes.simulator.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import istanbul.hes.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SMS simulator over HTTP, as the gateway's HTTP SMS gateway, the demo and Docker see it. */
class SmsSimulatorTest {
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

  private HttpResponse<Buffer> post(String to, String text) {
    return send(HttpMethod.POST, "/messages", new JsonObject().put("to", to).put("text", text));
  }

  @Test
  void listensOnARandomPortAndRecordsMessagesPerNumber() {
    assertThat(simulator.actualPort()).isPositive();
    assertThat(simulator.messagesUrl()).isEqualTo("http://127.0.0.1:" + simulator.actualPort() + "/messages");

    assertThat(post("+905321112233", "HES gateway verification code: 012345").statusCode()).isEqualTo(201);
    assertThat(post("+905329998877", "other").statusCode()).isEqualTo(201);
    assertThat(post("+905321112233", "HES gateway verification code: 999999").statusCode()).isEqualTo(201);

    HttpResponse<Buffer> mine = send(HttpMethod.GET, "/messages?to=%2B905321112233", null);
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(mine.bodyAsJsonObject().getJsonArray("messages").stream()
        .map(message -> ((JsonObject) message).getString("text")).toList())
        .containsExactly("HES gateway verification code: 012345", "HES gateway verification code: 999999");
    assertThat(send(HttpMethod.GET, "/messages", null).bodyAsJsonObject().getJsonArray("messages")).hasSize(3);
    assertThat(simulator.messages("+905329998877")).singleElement().extracting(SmsSimulator.Message::text).isEqualTo("other");

    assertThat(send(HttpMethod.DELETE, "/messages", null).statusCode()).isEqualTo(204);
    assertThat(simulator.messages(null)).isEmpty();
  }

  @Test
  void malformedMessagesAreRefused() {
    assertThat(post("05321112233", "text").statusCode()).isEqualTo(400);
    assertThat(post("+905321112233", "").statusCode()).isEqualTo(400);
    assertThat(send(HttpMethod.POST, "/messages", new JsonObject().put("to", 905321112233L).put("text", "x")).statusCode())
        .isEqualTo(400);
    assertThat(Await.result(web.post(simulator.actualPort(), "127.0.0.1", "/messages").sendBuffer(Buffer.buffer("{not json")))
        .statusCode()).isEqualTo(400);
    assertThat(simulator.messages(null)).isEmpty();
  }

  @Test
  void aFailureCanBeSwitchedOnAndOff() {
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 503)).statusCode()).isEqualTo(200);
    assertThat(post("+905321112233", "lost").statusCode()).isEqualTo(503);
    assertThat(send(HttpMethod.PUT, "/simulator/failing", new JsonObject().put("status", 200)).statusCode()).isEqualTo(400);
    simulator.failWith(0);
    assertThat(post("+905321112233", "kept").statusCode()).isEqualTo(201);
    assertThat(simulator.messages(null)).extracting(SmsSimulator.Message::text).containsExactly("kept");
  }

}
