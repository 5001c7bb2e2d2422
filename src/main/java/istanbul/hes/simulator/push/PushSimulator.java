package istanbul.hes.simulator.push;

import static istanbul.hes.simulator.SimulatorHttp.badReference;
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
import istanbul.hes.simulator.Deliveries;
import istanbul.hes.simulator.FailingStatus;
import istanbul.hes.simulator.SimulatorHttp;
import istanbul.hes.simulator.SimulatorServer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A simulated push gateway (what FCM or APNs are to an app): a real HTTP server that accepts
 * notifications for app push tokens and keeps them for the demo and tests to read. A token
 * registered as dead is answered 410, as FCM and APNs answer for an uninstalled app. For the demo
 * and tests only; no gateway code depends on it, and it uses no gateway code. Tokens and texts are
 * personal data: kept in memory only, never logged.
 *
 * <pre>
 * POST   /push                   {"token":"…","title":"…","body":"…","reference":"…"} → 201 {"id":n};
 *                                400 {"error"} if malformed; 410 {"error":"unregistered"} for a dead token;
 *                                a reference seen before → 200 {"id":first id,"duplicate":true}, not kept or counted again
 * GET    /push?token=…           → 200 {"notifications":[{"id","token","title","body","at"[,"reference"]}…]}, oldest first
 *                                (all without ?token)
 * GET    /push/counts            → 200 {"recipients":{token:n…},"total","duplicates","refused","unlisted","first","last"}
 * DELETE /push                   → 204, forgets the notifications, counts and references (not the dead tokens)
 * PUT    /simulator/unregistered {"token":"…"} → 200 {"unregistered":number of dead tokens}
 * DELETE /simulator/unregistered → 204, every token is alive again
 * PUT    /simulator/failing      {"status":503} → the next POSTs answer that status; {"status":0} heals
 * </pre>
 *
 * {@code token}: 16 to 4096 of {@code A-Z a-z 0-9 : _ . -}; {@code title}: 1 to {@value #MAX_TITLE}
 * characters; {@code body}: 1 to {@value #MAX_BODY} characters; {@code reference} (left out, not
 * null, when none; for senders that send at least once): 1 to 128 of {@code A-Z a-z 0-9 : _ . -}.
 * A POST is checked in this order: the fault switch, the body (400), the reference (a duplicate is
 * answered 200 even if its token died since), the token (410; a refused send is not remembered, so
 * its repeat is refused again). It keeps the last {@value #MAX_NOTIFICATIONS} notifications, the last
 * {@value #MAX_REFERENCES} references and at most {@value #MAX_UNREGISTERED} dead tokens, and counts
 * deliveries per token since the last DELETE (see {@link Deliveries}; {@code refused}: the sends
 * answered 410).
 */
public final class PushSimulator extends SimulatorServer {
  public static final String PUSH_PATH = "/push";
  public static final String COUNTS_PATH = PUSH_PATH + "/counts";
  public static final int MAX_NOTIFICATIONS = 10_000;
  public static final int MAX_REFERENCES = 1_000_000;
  public static final int MAX_RECIPIENTS = 1_000_000;
  public static final int MAX_UNREGISTERED = 100_000;
  private static final int BODY_LIMIT = 64 * 1024;
  private static final int MAX_TITLE = 200;
  private static final int MAX_BODY = 1_000;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9:_.-]{16,4096}");

  /** One notification as received; {@code reference} null when the sender gave none. */
  public record Notification(long id, String token, String title, String body, String reference, Instant at) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id).put("token", token).put("title", title).put("body", body).put("at", at.toString());
      return reference == null ? json : json.put("reference", reference);
    }

    @Override
    public String toString() {
      return "Notification[" + id + "]";
    }
  }

  private final String host;
  private final int port;
  private final Deliveries<Notification> deliveries =
      new Deliveries<>(MAX_NOTIFICATIONS, MAX_REFERENCES, MAX_RECIPIENTS, Clock.systemUTC());
  private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
  private final FailingStatus failing = new FailingStatus();

  /** @param port 0 = any free port (see {@link #actualPort()}) */
  public PushSimulator(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.put().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post(PUSH_PATH).handler(failing::apply).handler(this::receive);
    router.get(PUSH_PATH).handler(this::list);
    router.get(COUNTS_PATH).handler(context -> json(context.response(), 200, counts().toJson()));
    router.delete(PUSH_PATH).handler(context -> {
      clear();
      context.response().setStatusCode(204).end();
    });
    router.put("/simulator/unregistered").handler(this::unregister);
    router.delete("/simulator/unregistered").handler(context -> {
      unregistered.clear();
      context.response().setStatusCode(204).end();
    });
    router.put("/simulator/failing").handler(failing::put);
    router.route().failureHandler(SimulatorHttp::failure);
    // GET /push?token=… carries a token of up to 4096 characters in its request line.
    return listen(new HttpServerOptions().setHost(host).setPort(port).setMaxInitialLineLength(8 * 1024), router);
  }

  /** {@code http://127.0.0.1:<port>/push}: where the gateway posts its notifications. */
  public String pushUrl() {
    return "http://127.0.0.1:" + actualPort() + PUSH_PATH;
  }

  // Java API

  /** Records a notification as if it had been posted without a reference (to any token, dead or not). */
  public Notification record(String token, String title, String body) {
    return deliveries.deliver(token, null, (id, at) -> new Notification(id, token, title, body, null, at)).delivered();
  }

  /** The kept notifications to this token, oldest first; all kept notifications when {@code token} is null. */
  public List<Notification> notifications(String token) {
    return deliveries.kept(token);
  }

  /** Deliveries per token and in all since the last {@link #clear()}, beyond the kept notifications. */
  public Deliveries.Counts counts() {
    return deliveries.counts();
  }

  /** Forgets the notifications, the counts and the references; dead tokens stay dead. */
  public void clear() {
    deliveries.clear();
  }

  /** From now on sends to this token are answered 410, as for an uninstalled app. */
  public void unregister(String token) {
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("token must be 16 to 4096 of A-Z a-z 0-9 : _ . -");
    }
    if (unregistered.size() >= MAX_UNREGISTERED && !unregistered.contains(token)) {
      throw new IllegalStateException("at most " + MAX_UNREGISTERED + " tokens can be unregistered");
    }
    unregistered.add(token);
  }

  /** Every token is alive again. */
  public void clearUnregistered() {
    unregistered.clear();
  }

  /** Answers delivered messages this much later (0: at once): a slow gateway. */
  public void answerDelay(long millis) {
    failing.answerDelay(millis);
  }

  /** Makes POST /push answer this status (a 4xx or 5xx) until set to 0. */
  public void failWith(int status) {
    failing.set(status);
  }

  // HTTP

  private void receive(RoutingContext context) {
    JsonObject body = jsonBody(context);
    if (body == null) {
      badRequest(context, "the body must be a JSON object");
      return;
    }
    Object token = body.getValue("token");
    Object title = body.getValue("title");
    Object text = body.getValue("body");
    if (!(token instanceof String to) || !TOKEN.matcher(to).matches()) {
      badRequest(context, "token must be 16 to 4096 of A-Z a-z 0-9 : _ . -");
      return;
    }
    if (!(title instanceof String heading) || heading.isEmpty() || heading.length() > MAX_TITLE) {
      badRequest(context, "title must be a string of 1 to " + MAX_TITLE + " characters");
      return;
    }
    if (!(text instanceof String message) || message.isEmpty() || message.length() > MAX_BODY) {
      badRequest(context, "body must be a string of 1 to " + MAX_BODY + " characters");
      return;
    }
    if (badReference(context, body)) {
      return;
    }
    String ref = body.getString("reference");
    Deliveries.Receipt<Notification> receipt =
        deliveries.deliver(to, ref, unregistered::contains, (id, at) -> new Notification(id, to, heading, message, ref, at));
    if (receipt.refused()) {
      json(context.response(), 410, new JsonObject().put("error", "unregistered"));
    } else {
      failing.answerReceipt(context, receipt);
    }
  }

  private void list(RoutingContext context) {
    String token = context.request().getParam("token");
    JsonArray found = new JsonArray();
    notifications(token == null || token.isEmpty() ? null : token).forEach(notification -> found.add(notification.toJson()));
    json(context.response(), 200, new JsonObject().put("notifications", found));
  }

  private void unregister(RoutingContext context) {
    JsonObject body = jsonBody(context);
    Object token = body == null ? null : body.getValue("token");
    if (!(token instanceof String dead)) {
      badRequest(context, "the body must be {\"token\":\"…\"}");
      return;
    }
    try {
      unregister(dead);
    } catch (RuntimeException e) {
      badRequest(context, e.getMessage());
      return;
    }
    json(context.response(), 200, new JsonObject().put("unregistered", unregistered.size()));
  }
}
