package istanbul.hes.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * Citizens managing the HES code of their card in the app, at a constant arrival rate: each
 * citizen (a synthetic demo holder whose card has no code, from the feed CitizenFeed writes)
 * links their code, updates the link to their second code, updates it back, then removes it, so
 * the population is as before once the run ends: four requests, three of them links and updates.
 * (A card an interrupted earlier run left linked answers 409; it is cleaned and linked again,
 * under other request names.) Each link and update is checked with the
 * ministry (simulator) and commits a transaction that changes the card's status.
 *
 * <p>Connections are shared between virtual users, as the ingress proxy in front of the citizen
 * listener pools its connections to the node.
 *
 * <p>System properties: {@code citizen.url} (http://127.0.0.1:8081), {@code feed}
 * (../target/citizens.csv), {@code rate} citizens per second (334, i.e. 1,002 links and updates
 * per second), {@code duration} seconds at that rate (60), {@code ramp} seconds to reach it (10).
 * Assertions: no failed request, p99 of links and of updates under 50 ms.
 */
public class CitizenSimulation extends Simulation {
  private static final String BASE = System.getProperty("citizen.url", "http://127.0.0.1:8081");
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "334"));
  private static final int DURATION = Integer.getInteger("duration", 60);
  private static final int RAMP = Integer.getInteger("ramp", 10);
  private static final String FEED = System.getProperty("feed", "../target/citizens.csv");

  private static final String HES_CODE = "/v1/cards/#{card}/hes-code";

  // Circular: a long run reuses holders, each long after their previous flow ended.
  private final FeederBuilder<String> citizens = csv(FEED).circular();

  private final HttpProtocolBuilder protocol = http
      .baseUrl(BASE)
      .acceptHeader("application/json")
      .contentTypeHeader("application/json")
      .userAgentHeader("hes-gateway-gatling/citizen")
      // Citizens reach the node through the ingress proxy, which keeps a pool of connections to
      // it: the node does not see a TCP handshake per app session.
      .shareConnections();

  private final ScenarioBuilder manageHesCode = scenario("citizen manages the HES code of their card")
      .feed(citizens)
      .exec(link("link"))
      // Only after a run interrupted earlier left a code on this card: remove it, link again.
      .doIf(session -> session.getInt("linkStatus") == 409).then(
          exec(http("leftover remove").delete(HES_CODE)
                  .header("Authorization", "Bearer #{token}")
                  .check(status().is(204)))
              .exec(link("link after leftover")))
      .exec(http("update").put(HES_CODE)
          .header("Authorization", "Bearer #{token}")
          .body(StringBody("{\"hesCode\":\"#{alternate}\"}"))
          .check(status().is(200)))
      .exec(http("update back").put(HES_CODE)
          .header("Authorization", "Bearer #{token}")
          .body(StringBody("{\"hesCode\":\"#{primary}\"}"))
          .check(status().is(200)))
      .exec(http("remove").delete(HES_CODE)
          .header("Authorization", "Bearer #{token}")
          .check(status().is(204)));

  private static HttpRequestActionBuilder link(String name) {
    return http(name).post(HES_CODE)
        .header("Authorization", "Bearer #{token}")
        .body(StringBody("{\"hesCode\":\"#{primary}\"}"))
        // 200: an interrupted earlier run left this very code linked; 409: it left the other one.
        .check(status().in(200, 201, 409).saveAs("linkStatus"));
  }

  {
    setUp(manageHesCode.injectOpen(
            rampUsersPerSec(1).to(RATE).during(RAMP),
            constantUsersPerSec(RATE).during(DURATION)))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            details("link").successfulRequests().percent().is(100.0),
            details("link").responseTime().percentile(99.0).lt(50),
            details("update").responseTime().percentile(99.0).lt(50),
            details("update back").responseTime().percentile(99.0).lt(50));
  }
}
