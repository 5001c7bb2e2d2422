package istanbul.hes.simulator;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the simulators' HTTP endpoints. */
public final class SimulatorHttp {
  private SimulatorHttp() {}

  /** The body as a JSON object, or null when it is not one. */
  public static JsonObject jsonBody(RoutingContext context) {
    try {
      return context.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  public static void badRequest(RoutingContext context, String problem) {
    json(context.response(), 400, new JsonObject().put("error", problem));
  }

  /**
   * Whether a send's optional {@code reference} is there and malformed (not 1 to 128 of
   * A-Z a-z 0-9 : _ . -, null included): then 400 is answered.
   */
  public static boolean badReference(RoutingContext context, JsonObject body) {
    if (!body.containsKey("reference")
        || body.getValue("reference") instanceof String given && Deliveries.REFERENCE.matcher(given).matches()) {
      return false;
    }
    badRequest(context, "reference, when given, must be 1 to 128 of A-Z a-z 0-9 : _ . -");
    return true;
  }

  /** A router's failure handler: the failure's status (500 when none) with a JSON error, never an empty answer. */
  public static void failure(RoutingContext context) {
    int status = context.statusCode() > 0 ? context.statusCode() : 500;
    json(context.response(), status, new JsonObject().put("error", status == 413 ? "body too large" : "request failed"));
  }

  public static void json(HttpServerResponse response, int status, JsonObject body) {
    if (!response.closed() && !response.ended()) {
      response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
