package istanbul.hes.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Validators tapping: every virtual user is one tap of a card from the feed ValidatorFeed writes
 * (the mix of a metro gate: mostly allowed cards, some anonymous, no or expired HES code, risky,
 * blocked), at one of 500 validators, and the answer must be the reason the feed expects.
 *
 * <p>{@code mode=constant}: {@code rate} taps per second for {@code duration} seconds, after 10 s
 * of warm-up from a tenth of it (its requests named {@code warm-up …}, apart in the report); no
 * tap may fail. {@code pool=N} bounds the shared connections to N (taps beyond wait for one, as
 * behind a concentrator's pool; 0, the default: a connection per tap in flight). {@code mode=ramp}: from {@code from} to {@code to} taps per second over {@code duration}
 * seconds, to find where the node (or this machine) saturates; nothing asserted. {@code mode=closed}:
 * {@code users} validators, each on a connection of its own that it keeps, tapping in a loop with
 * {@code think} ms between an answer and its next tap, for {@code duration} seconds; no tap may fail.
 *
 * <p>Connections are shared between virtual users: validators reach the node through their
 * stations' concentrators, which keep their connections open (past saturation, Gatling opens one
 * per tap in flight). System properties: {@code tap.url} (http://127.0.0.1:8080), {@code token}
 * (the cluster's), {@code feed} (../target/validators.csv).
 */
public class ValidatorSimulation extends Simulation {
  static final String BASE = System.getProperty("tap.url", "http://127.0.0.1:8080");
  static final String TOKEN = System.getProperty("token", "");
  static final String FEED = System.getProperty("feed", "../target/validators.csv");
  private static final String MODE = System.getProperty("mode", "constant");
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "2000"));
  private static final double FROM = Double.parseDouble(System.getProperty("from", "500"));
  private static final double TO = Double.parseDouble(System.getProperty("to", "30000"));
  private static final int DURATION = Integer.getInteger("duration", 60);
  private static final int USERS = Integer.getInteger("users", 64);
  private static final int THINK_MILLIS = Integer.getInteger("think", 0);
  private static final int POOL = Integer.getInteger("pool", 0);
  static final String WARM_UP = "warm-up ";

  static HttpProtocolBuilder protocol() {
    HttpProtocolBuilder shared = http.baseUrl(BASE)
        .acceptHeader("application/json")
        .contentTypeHeader("application/json")
        .authorizationHeader("Bearer " + TOKEN)
        .userAgentHeader("hes-gateway-gatling/validator")
        .shareConnections();
    return POOL > 0 ? shared.maxConnectionsPerHost(POOL) : shared;
  }

  /** Validators as validators are: each keeps its own connection and taps again after its think time. */
  static ScenarioBuilder closedTaps() {
    FeederBuilder<String> feed = csv(FEED).circular();
    return scenario("validators on their own connections")
        .during(java.time.Duration.ofSeconds(DURATION)).on(
            feed(feed)
                .exec(session -> session.set("validator", "GATE-" + session.userId()).set("at", Instant.now().toString()))
                .exec(http("tap #{reason}").post("/v1/taps")
                    .body(StringBody("{\"card\":\"#{card}\",\"validator\":\"#{validator}\",\"at\":\"#{at}\"}"))
                    .check(status().is(200), jsonPath("$.reason").isEL("#{reason}")))
                .pause(java.time.Duration.ofMillis(THINK_MILLIS)));
  }

  /** One tap with the answer the feed expects; {@code prefix} names the warm-up's requests apart. */
  static ScenarioBuilder taps(String prefix) {
    FeederBuilder<String> feed = csv(FEED).circular();
    return scenario(prefix + "validator taps")
        .feed(feed)
        .exec(session -> session.set("validator", "GATE-" + ThreadLocalRandom.current().nextInt(500))
            .set("at", Instant.now().toString()))
        // Named by the answer expected: the report has a row, with its percentiles, per kind of answer.
        .exec(http(prefix + "tap #{reason}").post("/v1/taps")
            .body(StringBody("{\"card\":\"#{card}\",\"validator\":\"#{validator}\",\"at\":\"#{at}\"}"))
            .check(status().is(200), jsonPath("$.reason").isEL("#{reason}")));
  }

  /**
   * {@code rate} per second for {@code seconds}, measured, after 10 s of warm-up rising from a
   * tenth of it (started at once, every first tap would open a connection of its own, and the run
   * would measure that): the warm-up's scenario is {@code named.apply(WARM_UP)}, its requests
   * named apart, the measured one's {@code named.apply("")} starts as it ends.
   */
  static List<PopulationBuilder> steady(Function<String, ScenarioBuilder> named, double rate, int seconds) {
    return List.of(population(named.apply(WARM_UP), rampUsersPerSec(rate / 10).to(rate).during(10)),
        population(named.apply(""), nothingFor(10), constantUsersPerSec(rate).during(seconds)));
  }

  static PopulationBuilder population(ScenarioBuilder scenario, OpenInjectionStep... steps) {
    return scenario.injectOpen(steps).protocols(protocol());
  }

  {
    if (MODE.equals("closed")) {
      // No shared pool here: every validator's connection is its own, kept for the whole run.
      HttpProtocolBuilder ownConnections = http.baseUrl(BASE).acceptHeader("application/json").contentTypeHeader("application/json")
          .authorizationHeader("Bearer " + TOKEN).userAgentHeader("hes-gateway-gatling/validator");
      setUp(closedTaps().injectClosed(constantConcurrentUsers(USERS).during(DURATION)).protocols(ownConnections))
          .assertions(global().failedRequests().count().is(0L));
    } else if (MODE.equals("ramp")) {
      setUp(population(taps(""), rampUsersPerSec(FROM).to(TO).during(DURATION)));
    } else {
      setUp(steady(ValidatorSimulation::taps, RATE, DURATION))
          .assertions(global().failedRequests().count().is(0L));
    }
  }
}
