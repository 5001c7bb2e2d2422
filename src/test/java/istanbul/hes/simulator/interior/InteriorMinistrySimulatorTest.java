package istanbul.hes.simulator.interior;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import istanbul.hes.simulator.Faults;
import istanbul.hes.testing.Await;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Ministry of Interior over HTTP, as the gateway's delivery will see it. */
class InteriorMinistrySimulatorTest {
  private Vertx vertx;
  private InteriorMinistrySimulator simulator;
  private WebClient web;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new InteriorMinistrySimulator("127.0.0.1", 0, "municipality", "secret");
    Await.result(vertx.deployVerticle(simulator));
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    web.close();
    Await.result(vertx.close());
  }

  private static JsonObject violation(String id) {
    return new JsonObject().put("id", id).put("identity", "10000000146").put("card", "4000000000000001")
        .put("hesCode", "A1B2C3D4E5").put("validator", "M2-TAKSIM-07").put("at", "2026-11-21T08:00:00Z").put("reason", "HES_RISK");
  }

  private Future<HttpResponse<Buffer>> post(JsonObject body) {
    return web.post(simulator.actualPort(), "127.0.0.1", InteriorMinistrySimulator.VIOLATIONS_PATH)
        .basicAuthentication("municipality", "secret").timeout(2_000).sendJsonObject(body);
  }

  private static JsonObject batch(List<String> ids) {
    JsonArray violations = new JsonArray();
    ids.forEach(id -> violations.add(violation(id)));
    return new JsonObject().put("violations", violations);
  }

  private static List<String> ids(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    return ids;
  }

  @Test
  void aBatchIsAcceptedAndARepeatIsCountedButStoredOnce() {
    List<String> ids = ids(3);
    HttpResponse<Buffer> first = Await.result(post(batch(ids)));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getJsonArray("accepted").getList()).containsExactlyElementsOf(ids);

    HttpResponse<Buffer> again = Await.result(post(batch(ids.subList(0, 1))));
    assertThat(again.bodyAsJsonObject().getJsonArray("accepted").getList()).containsExactly(ids.get(0));

    assertThat(simulator.received()).hasSize(3);
    assertThat(simulator.received(ids.get(0)).orElseThrow().times()).isEqualTo(2);
    assertThat(simulator.repeatedIds()).isEqualTo(1);
    assertThat(simulator.stats().getLong("repeats")).isEqualTo(1);
    assertThat(simulator.received(ids.get(1)).orElseThrow().violation().getString("reason")).isEqualTo("HES_RISK");
  }

  @Test
  void malformedBatchesAndStrangersAreRefusedAndNothingIsStored() {
    assertThat(Await.result(post(new JsonObject().put("violations", "none"))).statusCode()).isEqualTo(400);
    assertThat(Await.result(post(batch(List.of("not-a-uuid")))).statusCode()).isEqualTo(400);
    JsonObject missingCard = violation(UUID.randomUUID().toString());
    missingCard.remove("card");
    assertThat(Await.result(post(new JsonObject().put("violations", new JsonArray().add(violation(UUID.randomUUID().toString()))
        .add(missingCard)))).statusCode()).as("one bad violation refuses the batch").isEqualTo(400);
    assertThat(Await.result(web.post(simulator.actualPort(), "127.0.0.1", InteriorMinistrySimulator.VIOLATIONS_PATH)
        .sendJsonObject(batch(ids(1)))).statusCode()).isEqualTo(401);
    assertThat(simulator.received()).isEmpty();
  }

  @Test
  void partialAcceptanceLeavesTheRestToBeSentAgain() {
    simulator.acceptOnly(0.5);
    List<String> ids = ids(200);
    Set<String> accepted = new HashSet<>();
    List<String> pending = new ArrayList<>(ids);
    int rounds = 0;
    while (!pending.isEmpty()) {
      assertThat(++rounds).isLessThan(40);
      List<Object> answer = Await.result(post(batch(pending))).bodyAsJsonObject().getJsonArray("accepted").getList();
      if (rounds == 1) {
        assertThat(answer.size()).isBetween(60, 140);
      }
      answer.forEach(id -> accepted.add((String) id));
      pending.removeIf(accepted::contains);
    }
    assertThat(accepted).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(simulator.received()).hasSize(200);
    assertThat(simulator.repeatedIds()).isZero();
  }

  @Test
  void eachFaultFailsTheBatchAndStoresNothing() {
    for (Faults fault : new Faults[] {Faults.goDown(), Faults.resetConnections(), Faults.error5xx(503), Faults.slow(3_000)}) {
      simulator.faults(fault);
      Future<HttpResponse<Buffer>> sent = post(batch(ids(2)));
      Throwable failure = Await.result(sent.transform(done -> Future.succeededFuture(done.failed() ? done.cause()
          : done.result().statusCode() >= 500 ? new IllegalStateException("HTTP " + done.result().statusCode()) : null)));
      assertThat(failure).as("fault %s", fault).isNotNull();
      simulator.clearFaults();
    }
    assertThat(simulator.received()).isEmpty();
    assertThat(simulator.requestCount()).isEqualTo(4);
  }
}
