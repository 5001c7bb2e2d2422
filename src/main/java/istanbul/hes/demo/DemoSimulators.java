package istanbul.hes.demo;

import io.vertx.core.Vertx;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.identity.IdentityProviderSimulator;
import istanbul.hes.simulator.identity.IdentityProviderSimulator.Person;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import istanbul.hes.simulator.push.PushSimulator;
import istanbul.hes.simulator.sms.SmsSimulator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outside services the demo stands up next to its node, in a Vert.x of their own: the
 * Ministry of Health (knowing every demo holder's code, {@link DemoHesCodes}), the Ministry of
 * Interior (receiving the violation reports), the SMS provider (keeping the verification codes
 * for the person trying the demo to read) and the portal's development identity provider. Each
 * takes its usual port, or any free one when that is taken.
 */
final class DemoSimulators implements AutoCloseable {
  /** The seed of the generated risk deltas' holders and verdicts. */
  static final long DELTA_SEED = 2026_1201L;

  private static final Logger LOG = LoggerFactory.getLogger(DemoSimulators.class);
  static final int HEALTH_PORT = 8091;
  static final int SMS_PORT = 8092;
  static final int PUSH_PORT = 8094;
  static final int INTERIOR_PORT = 8093;
  static final int IDENTITY_PROVIDER_PORT = 8095;
  static final String HEALTH_USER = "demo-institution";
  static final String INTERIOR_USER = "demo-municipality";

  private final Vertx vertx;
  private final HealthMinistrySimulator health;
  private final InteriorMinistrySimulator interior;
  private final SmsSimulator sms;
  private final PushSimulator push;
  private final String healthPassword;
  private final String interiorPassword;
  private IdentityProviderSimulator identityProvider;

  private DemoSimulators(Vertx vertx, HealthMinistrySimulator health, InteriorMinistrySimulator interior, SmsSimulator sms,
      PushSimulator push, String healthPassword, String interiorPassword) {
    this.push = push;
    this.vertx = vertx;
    this.health = health;
    this.interior = interior;
    this.sms = sms;
    this.healthPassword = healthPassword;
    this.interiorPassword = interiorPassword;
  }

  /** Blocks until all listen. */
  static DemoSimulators start(long cards, boolean withHealth, boolean withInterior, boolean withSms, boolean withPush) {
    Vertx vertx = Vertx.vertx();
    String healthPassword = randomPassword();
    String interiorPassword = randomPassword();
    try {
      HealthMinistrySimulator health = withHealth ? deploy(vertx, port -> new HealthMinistrySimulator("127.0.0.1", port,
          HEALTH_USER, healthPassword, new DemoHesCodes(cards)), HEALTH_PORT) : null;
      InteriorMinistrySimulator interior = withInterior ? deploy(vertx, port -> new InteriorMinistrySimulator("127.0.0.1", port,
          INTERIOR_USER, interiorPassword), INTERIOR_PORT) : null;
      SmsSimulator sms = withSms ? deploy(vertx, port -> new SmsSimulator("127.0.0.1", port), SMS_PORT) : null;
      PushSimulator push = withPush ? deploy(vertx, port -> new PushSimulator("127.0.0.1", port), PUSH_PORT) : null;
      if (health != null) {
        DemoWalkThrough.register(health);
      }
      return new DemoSimulators(vertx, health, interior, sms, push, healthPassword, interiorPassword);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  private static String randomPassword() {
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  private static <T extends istanbul.hes.simulator.SimulatorServer> T deploy(Vertx vertx, java.util.function.IntFunction<T> create,
      int port) {
    T simulator = create.apply(port);
    try {
      vertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
      return simulator;
    } catch (Exception taken) {
      LOG.info("port {} is taken; the {} simulator takes a free port", port, simulator.getClass().getSimpleName());
      T elsewhere = create.apply(0);
      try {
        vertx.deployVerticle(elsewhere).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the " + simulator.getClass().getSimpleName() + " could not start", e);
      }
      return elsewhere;
    }
  }

  /**
   * Starts the portal's development identity provider: its sign-in page lists {@code people}, and
   * it signs their tokens with {@code mint}. Blocks until it listens.
   */
  IdentityProviderSimulator startIdentityProvider(String clientId, List<Person> people, Function<String, String> mint,
      Duration tokenLifetime) {
    identityProvider = deploy(vertx, port -> new IdentityProviderSimulator("127.0.0.1", port, clientId, people, mint, tokenLifetime),
        IDENTITY_PROVIDER_PORT);
    return identityProvider;
  }

  Optional<IdentityProviderSimulator> identityProvider() {
    return Optional.ofNullable(identityProvider);
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * Has the ministry simulator publish risk deltas about random demo holders, {@code perSecond}
   * on average (RISKY and CLEARED alike), for the node to ingest. 0 stops. The holders and
   * verdicts come from a fixed seed: every run of a load test that streams deltas gets the same
   * sequence, so its rounds and its re-runs change the same cards in the same order.
   */
  void generateDeltas(long cards, double perSecond) {
    if (health == null) {
      return;
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(DELTA_SEED);
    health.generateDeltas(perSecond, () -> {
      while (true) {
        long i = random.nextLong(cards);
        if (DemoPopulation.personalized(i)) {
          return DemoPopulation.feedIdentity(i);
        }
      }
    }, () -> random.nextBoolean() ? istanbul.hes.simulator.health.RiskDeltaFeed.Status.RISKY
        : istanbul.hes.simulator.health.RiskDeltaFeed.Status.CLEARED);
  }

  java.util.Optional<HealthMinistrySimulator> health() {
    return java.util.Optional.ofNullable(health);
  }

  /** Empty when the environment configured a real ministry. */
  java.util.Optional<String> healthUrl() {
    return java.util.Optional.ofNullable(health).map(HealthMinistrySimulator::baseUrl);
  }

  String healthPassword() {
    return healthPassword;
  }

  java.util.Optional<InteriorMinistrySimulator> interior() {
    return java.util.Optional.ofNullable(interior);
  }

  String interiorPassword() {
    return interiorPassword;
  }

  java.util.Optional<String> pushUrl() {
    return java.util.Optional.ofNullable(push).map(PushSimulator::pushUrl);
  }

  java.util.Optional<String> smsUrl() {
    return java.util.Optional.ofNullable(sms).map(simulator -> "http://127.0.0.1:" + simulator.actualPort());
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the demo simulators did not stop cleanly: {}", e.toString());
    }
  }
}
