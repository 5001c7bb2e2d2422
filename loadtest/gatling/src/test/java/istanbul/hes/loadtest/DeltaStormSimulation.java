package istanbul.hes.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Validators tapping while the Ministry of Health's risk feed storms (the demo node started with
 * {@code --deltas-per-second}): taps of the ValidatorSimulation feed at {@code rate} per second,
 * and an operator reading the node's ingestion state once a second (the request "delta
 * ingestion"). The storm changes random holders' cards, so a tap may rightly answer another
 * reason than the feed wrote: here every tap must be answered 200 with a reason, and the taps'
 * p99 must stay under 100 ms (the 10 s of warm-up, requests named {@code warm-up tap}, apart).
 *
 * <p>System properties: those of ValidatorSimulation, {@code admin.url}
 * (http://127.0.0.1:8082), {@code operator} (the operator token).
 */
public class DeltaStormSimulation extends Simulation {
  private static final String ADMIN = System.getProperty("admin.url", "http://127.0.0.1:8082");
  private static final String OPERATOR = System.getProperty("operator", "");
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "2000"));
  private static final int DURATION = Integer.getInteger("duration", 60);

  private final ScenarioBuilder operator = scenario("operator watches the ingestion")
      .exec(http("delta ingestion").get(ADMIN + "/admin/v1/deltas")
          .header("Authorization", "Bearer " + OPERATOR)
          .check(status().is(200), jsonPath("$.enabled").is("true")));

  /** Taps of the feed; {@code prefix} names the warm-up's requests apart. */
  private static ScenarioBuilder taps(String prefix) {
    return scenario(prefix + "validator taps during the storm")
        .feed(csv(ValidatorSimulation.FEED).circular())
        .exec(session -> session.set("validator", "GATE-" + ThreadLocalRandom.current().nextInt(500))
            .set("at", Instant.now().toString()))
        .exec(http(prefix + "tap").post("/v1/taps")
            .body(StringBody("{\"card\":\"#{card}\",\"validator\":\"#{validator}\",\"at\":\"#{at}\"}"))
            .check(status().is(200), jsonPath("$.reason").exists()));
  }

  {
    List<PopulationBuilder> populations = new ArrayList<>(ValidatorSimulation.steady(DeltaStormSimulation::taps, RATE, DURATION));
    populations.add(ValidatorSimulation.population(operator, constantUsersPerSec(1).during(DURATION + 10)));
    setUp(populations)
        .assertions(global().failedRequests().count().is(0L), details("tap").responseTime().percentile(99.0).lt(100));
  }
}
