package istanbul.hes.simulator.sms;

import static istanbul.hes.simulator.SimulatorHttp.badRequest;
import static istanbul.hes.simulator.SimulatorHttp.json;
import static istanbul.hes.simulator.SimulatorHttp.jsonBody;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import istanbul.hes.simulator.SimulatorServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A simulated SMS provider: a real HTTP server that accepts messages as the gateway's
 * {@code citizen.smsGatewayUrl} sends them and keeps them for the demo, Docker set-ups and tests
 * to read (the verification codes). For the demo and tests only; no gateway code depends on it,
 * and it uses no gateway code. Messages are personal data (phone numbers, codes): it keeps them in
 * memory only, the last {@value #MAX_MESSAGES}, and never logs them.
 *
 * <pre>
 * POST   /messages          {"to":"+905321234567","text":"…"} → 201 {"id":n}; 400 {"error"} if malformed
 * GET    /messages?to=+90…  → 200 {"messages":[{"id","to","text","at"}…]}, oldest first (all without ?to)
 * DELETE /messages          → 204, forgets them
 * PUT    /simulator/failing {"status":503} → the next POSTs answer that status; {"status":0} heals
 * </pre>
 */
public final class SmsSimulator extends SimulatorServer {
  public static final String MESSAGES_PATH = "/messages";
  public static final int MAX_MESSAGES = 10_000;
  private static final int BODY_LIMIT = 16 * 1024;
  private static final int MAX_TEXT = 1_600;
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  /** One message as received. */
  public record Message(long id, String to, String text, Instant at) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("to", to).put("text", text).put("at", at.toString());
    }

    @Override
    public String toString() {
      return "Message[" + id + "]";
    }
  }

  private final String host;
  private final int port;
  private final Deque<Message> messages = new ArrayDeque<>();
  private long nextId = 1;
  private volatile int failingStatus;

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
    router.post(MESSAGES_PATH).handler(this::receive);
    router.get(MESSAGES_PATH).handler(this::list);
    router.delete(MESSAGES_PATH).handler(context -> {
      clear();
      context.response().setStatusCode(204).end();
    });
    router.put("/simulator/failing").handler(this::setFailing);
    router.route().failureHandler(this::failure);
    return listen(new HttpServerOptions().setHost(host).setPort(port), router);
  }

  /** {@code http://127.0.0.1:<port>/messages}: what the gateway's citizen.smsGatewayUrl takes. */
  public String messagesUrl() {
    return "http://127.0.0.1:" + actualPort() + MESSAGES_PATH;
  }

  // Java API

  /** Records a message as if it had been posted. */
  public Message record(String to, String text) {
    synchronized (messages) {
      Message message = new Message(nextId++, to, text, Instant.now());
      messages.addLast(message);
      if (messages.size() > MAX_MESSAGES) {
        messages.removeFirst();
      }
      return message;
    }
  }

  /** The messages to this number (E.164), oldest first; all messages when {@code to} is null. */
  public List<Message> messages(String to) {
    synchronized (messages) {
      List<Message> found = new ArrayList<>();
      for (Message message : messages) {
        if (to == null || message.to().equals(to)) {
          found.add(message);
        }
      }
      return found;
    }
  }

  public void clear() {
    synchronized (messages) {
      messages.clear();
    }
  }

  /** Makes POST /messages answer this status (a 4xx or 5xx) until set to 0. */
  public void failWith(int status) {
    if (status != 0 && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("status must be 0 or 400..599");
    }
    failingStatus = status;
  }

  // HTTP

  private void receive(RoutingContext context) {
    int failing = failingStatus;
    if (failing != 0) {
      json(context.response(), failing, new JsonObject().put("error", "simulated failure"));
      return;
    }
    JsonObject body = jsonBody(context);
    Object to = body == null ? null : body.getValue("to");
    Object text = body == null ? null : body.getValue("text");
    if (!(to instanceof String phone) || !E164.matcher(phone).matches()) {
      badRequest(context, "to must be an E.164 number (+ and 7 to 15 digits)");
      return;
    }
    if (!(text instanceof String message) || message.isEmpty() || message.length() > MAX_TEXT) {
      badRequest(context, "text must be a string of 1 to " + MAX_TEXT + " characters");
      return;
    }
    json(context.response(), 201, new JsonObject().put("id", record(phone, message).id()));
  }

  private void list(RoutingContext context) {
    String to = context.request().getParam("to");
    JsonArray found = new JsonArray();
    messages(to == null || to.isEmpty() ? null : to).forEach(message -> found.add(message.toJson()));
    json(context.response(), 200, new JsonObject().put("messages", found));
  }

  private void setFailing(RoutingContext context) {
    JsonObject body = jsonBody(context);
    try {
      failWith(body == null ? -1 : body.getInteger("status", -1));
    } catch (RuntimeException e) {
      badRequest(context, "the body must be {\"status\":0|400..599}");
      return;
    }
    json(context.response(), 200, new JsonObject().put("status", failingStatus));
  }

  private void failure(RoutingContext context) {
    int status = context.statusCode() > 0 ? context.statusCode() : 500;
    if (!context.response().ended() && !context.response().closed()) {
      json(context.response(), status, new JsonObject().put("error", status == 413 ? "body too large" : "request failed"));
    }
  }



}
