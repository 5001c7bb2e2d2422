package istanbul.hes.simulator.sms;

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
import java.util.regex.Pattern;

/**
 * A simulated SMS provider: a real HTTP server that accepts messages as the gateway's
 * {@code citizen.smsGatewayUrl} and its campaigns send them, and keeps them for the demo, Docker
 * set-ups and tests to read (the verification codes, how many messages each number got). For the
 * demo and tests only; no gateway code depends on it, and it uses no gateway code. Messages are
 * personal data (phone numbers, codes): it keeps them in memory only and never logs them.
 *
 * <pre>
 * POST   /messages          {"to":"+905321234567","text":"…","reference":"…"} → 201 {"id":n}; 400 {"error"} if malformed;
 *                           a reference seen before → 200 {"id":first id,"duplicate":true}, not kept or counted again
 * GET    /messages?to=+90…  → 200 {"messages":[{"id","to","text","at"[,"reference"]}…]}, oldest first (all without ?to)
 * GET    /messages/counts   → 200 {"recipients":{"+90…":n…},"total","duplicates","refused":0,"unlisted","first","last"}
 * DELETE /messages          → 204, forgets the messages, counts and references
 * PUT    /simulator/failing {"status":503} → the next POSTs answer that status; {"status":0} heals
 * </pre>
 *
 * {@code to}: E.164; {@code text}: 1 to {@value #MAX_TEXT} characters; {@code reference} (left out, not null,
 * when none; for senders that send at least once): 1 to 128 of {@code A-Z a-z 0-9 : _ . -}. It keeps
 * the last {@value #MAX_MESSAGES} messages, the last {@value #MAX_REFERENCES} references, and counts
 * deliveries per number since the last DELETE (see {@link Deliveries}: the first and last are the
 * instants of the first and last deliveries, null before any).
 */
public final class SmsSimulator extends SimulatorServer {
  public static final String MESSAGES_PATH = "/messages";
  public static final String COUNTS_PATH = MESSAGES_PATH + "/counts";
  public static final int MAX_MESSAGES = 10_000;
  public static final int MAX_REFERENCES = 1_000_000;
  public static final int MAX_RECIPIENTS = 1_000_000;
  private static final int BODY_LIMIT = 16 * 1024;
  private static final int MAX_TEXT = 1_600;
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  /** One message as received; {@code reference} null when the sender gave none. */
  public record Message(long id, String to, String text, String reference, Instant at) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id).put("to", to).put("text", text).put("at", at.toString());
      return reference == null ? json : json.put("reference", reference);
    }

    @Override
    public String toString() {
      return "Message[" + id + "]";
    }
  }

  private final String host;
  private final int port;
  private final Deliveries<Message> deliveries = new Deliveries<>(MAX_MESSAGES, MAX_REFERENCES, MAX_RECIPIENTS, Clock.systemUTC());
  private final FailingStatus failing = new FailingStatus();

  /** @param port 0 = any free port (see {@link #actualPort()}) */
  public SmsSimulator(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.put().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post(MESSAGES_PATH).handler(failing::apply).handler(this::receive);
    router.get(MESSAGES_PATH).handler(this::list);
    router.get(COUNTS_PATH).handler(context -> json(context.response(), 200, counts().toJson()));
    router.delete(MESSAGES_PATH).handler(context -> {
      clear();
      context.response().setStatusCode(204).end();
    });
    router.put("/simulator/failing").handler(failing::put);
    router.route().failureHandler(SimulatorHttp::failure);
    return listen(new HttpServerOptions().setHost(host).setPort(port), router);
  }

  /** {@code http://127.0.0.1:<port>/messages}: what the gateway's citizen.smsGatewayUrl takes. */
  public String messagesUrl() {
    return "http://127.0.0.1:" + actualPort() + MESSAGES_PATH;
  }

  // Java API

  /** Records a message as if it had been posted without a reference. */
  public Message record(String to, String text) {
    return deliveries.deliver(to, null, (id, at) -> new Message(id, to, text, null, at)).delivered();
  }

  /** The kept messages to this number (E.164), oldest first; all kept messages when {@code to} is null. */
  public List<Message> messages(String to) {
    return deliveries.kept(to);
  }

  /** Deliveries per number and in all since the last {@link #clear()}, beyond the kept messages. */
  public Deliveries.Counts counts() {
    return deliveries.counts();
  }

  /** Forgets the messages, the counts and the references. */
  public void clear() {
    deliveries.clear();
  }

  /** Answers delivered messages this much later (0: at once): a slow gateway. */
  public void answerDelay(long millis) {
    failing.answerDelay(millis);
  }

  /** Makes POST /messages answer this status (a 4xx or 5xx) until set to 0. */
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
    Object to = body.getValue("to");
    Object text = body.getValue("text");
    if (!(to instanceof String phone) || !E164.matcher(phone).matches()) {
      badRequest(context, "to must be an E.164 number (+ and 7 to 15 digits)");
      return;
    }
    if (!(text instanceof String message) || message.isEmpty() || message.length() > MAX_TEXT) {
      badRequest(context, "text must be a string of 1 to " + MAX_TEXT + " characters");
      return;
    }
    if (badReference(context, body)) {
      return;
    }
    String ref = body.getString("reference");
    Deliveries.Receipt<Message> receipt = deliveries.deliver(phone, ref, (id, at) -> new Message(id, phone, message, ref, at));
    failing.answerReceipt(context, receipt);
  }

  private void list(RoutingContext context) {
    String to = context.request().getParam("to");
    JsonArray found = new JsonArray();
    messages(to == null || to.isEmpty() ? null : to).forEach(message -> found.add(message.toJson()));
    json(context.response(), 200, new JsonObject().put("messages", found));
  }
}
