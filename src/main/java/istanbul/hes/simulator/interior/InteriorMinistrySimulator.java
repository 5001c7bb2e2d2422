package istanbul.hes.simulator.interior;

import static istanbul.hes.simulator.SimulatorHttp.badRequest;
import static istanbul.hes.simulator.SimulatorHttp.json;
import static istanbul.hes.simulator.SimulatorHttp.jsonBody;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import istanbul.hes.simulator.BasicCredentials;
import istanbul.hes.simulator.FaultInjection;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.SimulatorServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A simulated Ministry of Interior receiving violation reports ({@code POST /v1/violations}, HTTP
 * Basic): a real HTTP server that stores what it accepts, once per id (the idempotency key), and
 * counts every repeat, so a test can tell "delivered exactly once by id" from "lost" or "counted
 * twice". Faults as the other simulators ({@link Faults}: down, slow, 5xx, reset), plus
 * {@link #acceptOnly(double)}: a batch is answered with only part of its ids accepted (the others
 * are not stored and must come again).
 *
 * <pre>
 * POST   /v1/violations             {"violations":[{"id","identity","card","hesCode","validator","at","reason"}…]}
 *                                    → 200 {"accepted":[ids]}; 400 when the batch is malformed
 * GET    /simulator/violations/stats → {"requests","received","distinct","repeats","faults","acceptFraction"}
 * PUT    /simulator/faults          {@link Faults} as JSON; DELETE /simulator/faults
 * PUT    /simulator/accept-only     {"fraction":0.5}; DELETE /simulator/accept-only
 * </pre>
 *
 * Violations are personal data (identity, HES code): kept in memory only, never logged.
 */
public final class InteriorMinistrySimulator extends SimulatorServer {
  public static final String VIOLATIONS_PATH = "/v1/violations";
  private static final int BODY_LIMIT = 16 * 1024 * 1024;
  private static final String[] REQUIRED = {"id", "identity", "card", "validator", "at", "reason"};
  private static final java.util.regex.Pattern UUID_TEXT =
      java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** One violation as accepted, and how many times its id came (1: never repeated). */
  public record Received(JsonObject violation, long times) {
    @Override
    public String toString() {
      return "Received[" + violation.getString("id") + ", times " + times + "]";
    }
  }

  private final String host;
  private final int port;
  private final BasicCredentials credentials;
  private final FaultInjection faults = new FaultInjection();
  private final Map<String, Received> received = new ConcurrentHashMap<>();
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicReference<Double> acceptFraction = new AtomicReference<>(1.0);
  private final Random random = new Random(17);

  /** @param port 0 = any free port */
  public InteriorMinistrySimulator(String host, int port, String username, String password) {
    this.host = host;
    this.port = port;
    this.credentials = new BasicCredentials(username, password);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::authenticate);
    router.post(VIOLATIONS_PATH).handler(faults::beforeReading);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post(VIOLATIONS_PATH).handler(context -> faults.afterReading(vertx, context));
    router.post(VIOLATIONS_PATH).handler(this::receive);
    router.get("/simulator/violations/stats").handler(context -> json(context.response(), 200, stats()));
    router.put("/simulator/faults").handler(context -> {
      try {
        faults.set(Faults.fromJson(jsonBody(context)));
        json(context.response(), 200, faults.current().toJson());
      } catch (RuntimeException e) {
        badRequest(context, "invalid faults");
      }
    });
    router.delete("/simulator/faults").handler(context -> {
      faults.clear();
      context.response().setStatusCode(204).end();
    });
    router.put("/simulator/accept-only").handler(context -> {
      JsonObject body = jsonBody(context);
      try {
        acceptOnly(body.getDouble("fraction"));
        json(context.response(), 200, new JsonObject().put("fraction", acceptFraction.get()));
      } catch (RuntimeException e) {
        badRequest(context, "fraction between 0 and 1");
      }
    });
    router.delete("/simulator/accept-only").handler(context -> {
      acceptOnly(1.0);
      context.response().setStatusCode(204).end();
    });
    return listen(new HttpServerOptions().setHost(host).setPort(port).setSoLinger(0), router);
  }

  /** {@code http://127.0.0.1:<port>}: the base URL of the gateway's Ministry of Interior client. */
  public String baseUrl() {
    return "http://127.0.0.1:" + actualPort();
  }

  // Java API

  public void faults(Faults newFaults) {
    faults.set(newFaults);
  }

  public void clearFaults() {
    faults.clear();
  }

  /** From now on each valid violation of a batch is accepted with this probability (1: all). */
  public void acceptOnly(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be between 0 and 1");
    }
    acceptFraction.set(fraction);
  }

  /** What was accepted, by id. */
  public Map<String, Received> received() {
    return Map.copyOf(received);
  }

  public Optional<Received> received(String id) {
    return Optional.ofNullable(received.get(id));
  }

  /** Ids that came more than once (each was still counted once). */
  public long repeatedIds() {
    return received.values().stream().filter(entry -> entry.times() > 1).count();
  }

  /** Requests to /v1/violations, faulted ones included. */
  public long requestCount() {
    return faults.requestCount();
  }

  public JsonObject stats() {
    return new JsonObject()
        .put("requests", faults.requestCount())
        .put("received", deliveries.get())
        .put("distinct", received.size())
        .put("repeats", deliveries.get() - received.size())
        .put("faults", faults.current().toJson())
        .put("acceptFraction", acceptFraction.get());
  }

  // HTTP

  private void authenticate(RoutingContext context) {
    if (!credentials.accepts(context.request().getHeader("Authorization"))) {
      if (VIOLATIONS_PATH.equals(context.normalizedPath())) {
        faults.countRefused();
      }
      context.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"interior\"")
          .putHeader("Content-Type", "application/json").end(new JsonObject().put("error", "unauthorized").encode());
      return;
    }
    context.next();
  }

  private void receive(RoutingContext context) {
    JsonObject body = jsonBody(context);
    Object list = body == null ? null : body.getValue("violations");
    if (!(list instanceof JsonArray violations)) {
      badRequest(context, "the body must be {\"violations\":[…]}");
      return;
    }
    List<JsonObject> valid = new ArrayList<>(violations.size());
    for (Object item : violations) {
      if (!(item instanceof JsonObject violation) || !wellFormed(violation)) {
        badRequest(context, "every violation needs a UUID id, identity, card, validator, at and reason");
        return;
      }
      valid.add(violation);
    }
    JsonArray accepted = new JsonArray();
    double fraction = acceptFraction.get();
    for (JsonObject violation : valid) {
      if (fraction < 1 && nextDouble() >= fraction) {
        continue; // not accepted this time: the sender must send it again
      }
      String id = violation.getString("id");
      deliveries.incrementAndGet();
      received.merge(id, new Received(violation.copy(), 1), (old, again) -> new Received(old.violation(), old.times() + 1));
      accepted.add(id);
    }
    json(context.response(), 200, new JsonObject().put("accepted", accepted));
  }

  private synchronized double nextDouble() {
    return random.nextDouble();
  }

  private static boolean wellFormed(JsonObject violation) {
    for (String field : REQUIRED) {
      if (!(violation.getValue(field) instanceof String text) || text.isBlank()) {
        return false;
      }
    }
    return UUID_TEXT.matcher(violation.getString("id")).matches();
  }
}
