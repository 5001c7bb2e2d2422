package istanbul.hes.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Citizens managing the HES code of their card in the app, at a constant arrival rate: each
 * citizen (a synthetic demo holder whose card has no code, from the feed CitizenFeed writes)
 * links their code, updates the link to their second code, updates it back, then removes it, so
 * the population is as before once the run ends: four requests, three of them links and updates.
 * (A card an interrupted earlier run left linked answers 409; it is cleaned and linked again,
 * under other request names.) Each link and update is checked with the
 * ministry (simulator) and commits a transaction that changes the card's status.
 *
 * <p>The ramp is a warm-up, not measured: the citizens who arrive while the rate rises (opening the
 * shared connections, warming the node) make the same requests named {@code warm-up …}; the
 * measured citizens arrive at the constant rate from the ramp's end, and their requests alone
 * carry the plain names ({@code link}, {@code update}, …) that the assertions and the load-test
 * script read. Both draw from one feeder, so no holder is in two flows at once.
 *
 * <p>Connections are shared between virtual users, as the ingress proxy in front of the citizen
 * listener pools its connections to the node.
 *
 * <p>System properties: {@code citizen.url} (http://127.0.0.1:8081), {@code feed}
 * (../target/citizens.csv), {@code rate} citizens per second (334, i.e. 1,002 links and updates
 * per second), {@code duration} seconds measured at that rate (60), {@code ramp} seconds of warm-up
 * to reach it (10). Assertions: no failed request (warm-up included), p99 of the measured links
 * and updates under 50 ms.
 */
public class CitizenSimulation extends Simulation {
  private static final String BASE = System.getProperty("citizen.url", "http://127.0.0.1:8081");
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "334"));
  private static final int DURATION = Integer.getInteger("duration", 60);
  private static final int RAMP = Integer.getInteger("ramp", 10);
  private static final String FEED = System.getProperty("feed", "../target/citizens.csv");
  /** The names of the ramp's requests start with this. */
  static final String WARM_UP = "warm-up ";

  private static final String HES_CODE = "/v1/cards/#{card}/hes-code";

  // One circular feeder for both scenarios: a long run reuses holders, each long after their
  // previous flow ended, and the warm-up and measured citizens never share one.
  private final Iterator<Map<String, Object>> citizens = circular(csv(FEED).readRecords());

  private final HttpProtocolBuilder protocol = http
      .baseUrl(BASE)
      .acceptHeader("application/json")
      .contentTypeHeader("application/json")
      .userAgentHeader("hes-gateway-gatling/citizen")
      // Citizens reach the node through the ingress proxy, which keeps a pool of connections to
      // it: the node does not see a TCP handshake per app session.
      .shareConnections();

  /** The flow of one citizen, its requests' names prefixed with {@code prefix}. */
  private ScenarioBuilder manageHesCode(String scenario, String prefix) {
    return scenario(scenario)
        .feed(citizens)
        .exec(link(prefix + "link"))
        // Only after a run interrupted earlier left a code on this card: remove it, link again.
        .doIf(session -> session.getInt("linkStatus") == 409).then(
            exec(http(prefix + "leftover remove").delete(HES_CODE)
                    .header("Authorization", "Bearer #{token}")
                    .check(status().is(204)))
                .exec(link(prefix + "link after leftover")))
        .exec(http(prefix + "update").put(HES_CODE)
            .header("Authorization", "Bearer #{token}")
            .body(StringBody("{\"hesCode\":\"#{alternate}\"}"))
            .check(status().is(200)))
        .exec(http(prefix + "update back").put(HES_CODE)
            .header("Authorization", "Bearer #{token}")
            .body(StringBody("{\"hesCode\":\"#{primary}\"}"))
            .check(status().is(200)))
        .exec(http(prefix + "remove").delete(HES_CODE)
            .header("Authorization", "Bearer #{token}")
            .check(status().is(204)));
  }

  private static HttpRequestActionBuilder link(String name) {
    return http(name).post(HES_CODE)
        .header("Authorization", "Bearer #{token}")
        .body(StringBody("{\"hesCode\":\"#{primary}\"}"))
        // 200: an interrupted earlier run left this very code linked; 409: it left the other one.
        .check(status().in(200, 201, 409).saveAs("linkStatus"));
  }

  /** Endless, in order, safe for the scenarios' feeds to share. */
  private static Iterator<Map<String, Object>> circular(List<Map<String, Object>> records) {
    if (records.isEmpty()) {
      throw new IllegalStateException(FEED + " holds no citizen");
    }
    AtomicLong next = new AtomicLong();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        return records.get((int) (next.getAndIncrement() % records.size()));
      }
    };
  }

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    if (RAMP > 0) {
      populations.add(manageHesCode("citizens while the rate rises (warm-up)", WARM_UP)
          .injectOpen(rampUsersPerSec(1).to(RATE).during(RAMP)));
    }
    populations.add(manageHesCode("citizen manages the HES code of their card", "")
        .injectOpen(nothingFor(RAMP), constantUsersPerSec(RATE).during(DURATION)));
    setUp(populations)
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            details("link").successfulRequests().percent().is(100.0),
            details("link").responseTime().percentile(99.0).lt(50),
            details("update").responseTime().percentile(99.0).lt(50),
            details("update back").responseTime().percentile(99.0).lt(50));
  }
}
