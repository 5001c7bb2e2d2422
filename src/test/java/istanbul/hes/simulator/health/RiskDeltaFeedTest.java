package istanbul.hes.simulator.health;

import istanbul.hes.simulator.Faults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import istanbul.hes.simulator.health.RiskDeltaFeed.Delta;
import istanbul.hes.simulator.health.RiskDeltaFeed.FeedFaults;
import istanbul.hes.simulator.health.RiskDeltaFeed.Page;
import istanbul.hes.simulator.health.RiskDeltaFeed.Status;
import istanbul.hes.testing.Await;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The simulated delta feed: strictly increasing sequence numbers, pages, and each page fault. */
class RiskDeltaFeedTest {
  private static RiskDeltaFeed feedOf(int deltas) {
    RiskDeltaFeed feed = new RiskDeltaFeed(7);
    AtomicInteger person = new AtomicInteger();
    feed.appendMany(deltas, () -> String.format("%011d", 10_000_000_000L + person.incrementAndGet()), () -> Status.RISKY);
    return feed;
  }

  private static List<Long> seqs(Page page) {
    return page.deltas().stream().map(Delta::seq).toList();
  }

  @Test
  void pagesFollowTheLogInOrder() {
    RiskDeltaFeed feed = feedOf(25);
    assertThat(seqs(feed.page(0, 10))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(seqs(feed.page(20, 10))).containsExactly(21L, 22L, 23L, 24L, 25L);
    assertThat(feed.page(25, 10).deltas()).isEmpty();
    assertThat(feed.page(99, 10).last()).isEqualTo(25);
    assertThat(feed.append("DEU:C01X00T47", Status.CLEARED)).isEqualTo(26);
    assertThat(feed.page(25, 10).deltas()).singleElement().satisfies(delta -> {
      assertThat(delta.identity()).isEqualTo("DEU:C01X00T47");
      assertThat(delta.status()).isEqualTo(Status.CLEARED);
      assertThat(delta.toString()).doesNotContain("C01X00T47");
    });
  }

  @Test
  void eachFaultMisbehavesAsNamedAndNeverInventsADelta() {
    RiskDeltaFeed feed = feedOf(1000);
    feed.faults(new FeedFaults(1.0, 0, 0, 0));
    assertThat(seqs(feed.page(0, 5))).containsExactly(1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L, 5L, 5L);

    feed.faults(new FeedFaults(0, 1.0, 0, 0));
    assertThat(seqs(feed.page(100, 10)).get(0)).isLessThanOrEqualTo(100L);

    feed.faults(new FeedFaults(0, 0, 0, 1.0));
    List<Long> gapped = seqs(feed.page(200, 10));
    assertThat(gapped).hasSize(9).isSorted().startsWith(201L).endsWith(210L);
    feed.faults(FeedFaults.NONE);
    assertThat(seqs(feed.page(200, 10))).as("a gap is transient").hasSize(10);

    feed.faults(new FeedFaults(0, 0, 1.0, 0));
    List<Long> shuffled = seqs(feed.page(300, 50));
    assertThat(shuffled).isNotEqualTo(new java.util.ArrayList<>(new TreeSet<>(shuffled)));
    assertThat(new TreeSet<>(shuffled)).hasSize(50).first().isEqualTo(301L);

    feed.faults(new FeedFaults(0.3, 0.3, 0.3, 0.3));
    for (int i = 0; i < 200; i++) {
      for (Delta delta : feed.page(i * 5L, 20).deltas()) {
        assertThat(delta).isEqualTo(feed.get(delta.seq()));
      }
    }
    assertThatThrownBy(() -> new FeedFaults(1.5, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFeedIsServedOverHttpWithItsFaultsAndBadQueriesRefused() {
    Vertx vertx = Vertx.vertx();
    HealthMinistrySimulator simulator = new HealthMinistrySimulator("127.0.0.1", 0, "institution", "secret");
    try {
      Await.result(vertx.deployVerticle(simulator));
      WebClient web = WebClient.create(vertx);
      HttpResponse<Buffer> appended = Await.result(web.post(simulator.actualPort(), "127.0.0.1", "/simulator/risk-deltas")
          .basicAuthentication("institution", "secret")
          .sendJsonObject(new JsonObject().put("identity", "10000000146").put("status", "RISKY")));
      assertThat(appended.statusCode()).isEqualTo(201);
      assertThat(appended.bodyAsJsonObject().getLong("seq")).isEqualTo(1);

      JsonObject page = Await.result(web.get(simulator.actualPort(), "127.0.0.1", "/v1/risk-deltas?after=0&limit=10")
          .basicAuthentication("institution", "secret").send()).bodyAsJsonObject();
      assertThat(page.getLong("last")).isEqualTo(1);
      assertThat(page.getJsonArray("deltas").getJsonObject(0).getString("status")).isEqualTo("RISKY");

      for (String query : new String[] {"?after=-1", "?limit=0", "?limit=10001", "?after=x"}) {
        assertThat(Await.result(web.get(simulator.actualPort(), "127.0.0.1", "/v1/risk-deltas" + query)
            .basicAuthentication("institution", "secret").send()).statusCode()).as(query).isEqualTo(400);
      }
      assertThat(Await.result(web.get(simulator.actualPort(), "127.0.0.1", "/v1/risk-deltas").send()).statusCode()).isEqualTo(401);

      simulator.faults(Faults.error5xx(503));
      assertThat(Await.result(web.get(simulator.actualPort(), "127.0.0.1", "/v1/risk-deltas")
          .basicAuthentication("institution", "secret").send()).statusCode()).isEqualTo(503);
      simulator.clearFaults();
      web.close();

      // A generated feed at 200 deltas/s: sequence numbers keep coming, in order, without holes.
      AtomicInteger person = new AtomicInteger();
      simulator.generateDeltas(200, () -> String.format("%011d", 20_000_000_000L + person.incrementAndGet()), () -> Status.RISKY);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(50))
          .until(() -> simulator.deltaFeed().last() >= 101);
      simulator.generateDeltas(0, null, null);
      assertThat(seqs(simulator.deltaFeed().page(1, 100))).hasSize(100).isSorted().startsWith(2L).endsWith(101L);
    } finally {
      Await.result(vertx.close());
    }
  }
}
