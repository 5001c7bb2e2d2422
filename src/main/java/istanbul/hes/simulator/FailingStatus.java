package istanbul.hes.simulator;

import static istanbul.hes.simulator.SimulatorHttp.badRequest;
import static istanbul.hes.simulator.SimulatorHttp.json;
import static istanbul.hes.simulator.SimulatorHttp.jsonBody;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The messaging simulators' fault switches. {@code PUT /simulator/failing {"status":503}}: while a
 * status (400..599) is set, every service request is answered with it and
 * {@code {"error":"simulated failure"}} before its body is looked at, so nothing is delivered or
 * counted; {@code {"status":0}} heals. {@link #answerDelay}: a message is delivered at once but
 * answered that much later, as a slow gateway's would be (a sender that dies in between has sent
 * it without knowing).
 */
public final class FailingStatus {
  private volatile int status;
  private volatile long answerDelayMillis;

  /** Delays the answers to delivered messages by this much (0: answer at once). */
  public void answerDelay(long millis) {
    if (millis < 0 || millis > 60_000) {
      throw new IllegalArgumentException("the answer delay is 0 to 60,000 ms");
    }
    answerDelayMillis = millis;
  }

  /**
   * Answers a send (after the answer delay): 201 with the new id, or 200 with the first id and
   * {@code "duplicate":true} for a reference seen before. A refusal is the caller's to answer.
   */
  public void answerReceipt(RoutingContext context, Deliveries.Receipt<?> receipt) {
    JsonObject body = new JsonObject().put("id", receipt.id());
    if (receipt.duplicate()) {
      body.put("duplicate", true);
    }
    answer(context, () -> json(context.response(), receipt.duplicate() ? 200 : 201, body));
  }

  /** Runs {@code answer} now, or after the answer delay. */
  public void answer(RoutingContext context, Runnable answer) {
    long delay = answerDelayMillis;
    if (delay == 0) {
      answer.run();
    } else {
      context.vertx().setTimer(delay, id -> answer.run());
    }
  }

  /** Fails the service requests with this status (400..599) until set to 0. */
  public void set(int newStatus) {
    if (newStatus != 0 && (newStatus < 400 || newStatus > 599)) {
      throw new IllegalArgumentException("status must be 0 or 400..599");
    }
    status = newStatus;
  }

  public int get() {
    return status;
  }

  /** A service route's first handler: answers the failure while one is set, else passes on. */
  public void apply(RoutingContext context) {
    int failing = status;
    if (failing != 0) {
      json(context.response(), failing, new JsonObject().put("error", "simulated failure"));
      return;
    }
    context.next();
  }

  /** {@code PUT /simulator/failing}: {@code {"status":0|400..599}} → 200 {@code {"status":n}}. */
  public void put(RoutingContext context) {
    JsonObject body = jsonBody(context);
    try {
      set(body == null ? -1 : body.getInteger("status", -1));
    } catch (RuntimeException e) {
      badRequest(context, "the body must be {\"status\":0|400..599}");
      return;
    }
    json(context.response(), 200, new JsonObject().put("status", status));
  }
}
