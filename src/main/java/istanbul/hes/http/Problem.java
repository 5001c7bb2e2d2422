package istanbul.hes.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * An RFC 9457 problem: every failure a client can see, with a stable machine-readable
 * {@code code}. The detail never carries personal data: it names fields, not their values.
 */
public record Problem(int status, String code, String title, String detail) {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:hes-gateway:problem:";

  public static Problem of(int status, String code, String title, String detail) {
    return new Problem(status, code, title, detail);
  }

  public String type() {
    return TYPE_PREFIX + code.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type())
        .put("title", title)
        .put("status", status)
        .put("code", code);
    if (detail != null) {
      json.put("detail", detail);
    }
    return json;
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public ProblemException exception() {
    return new ProblemException(this);
  }

  // The problems every listener shares.
  public static Problem malformedJson(String detail) {
    return of(400, "MALFORMED_JSON", "The body is not valid JSON", detail);
  }

  public static Problem bodyTooLarge() {
    return of(413, "BODY_TOO_LARGE", "The body is too large", "the body exceeds this endpoint's limit (see the API document)");
  }

  public static Problem unsupportedMediaType() {
    return of(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "send application/json");
  }

  public static Problem unauthorized() {
    return of(401, "UNAUTHORIZED", "Missing or unknown credentials", "send Authorization: Bearer <token>");
  }

  public static Problem notFound() {
    return of(404, "NOT_FOUND", "No such resource", null);
  }

  public static Problem methodNotAllowed() {
    return of(405, "METHOD_NOT_ALLOWED", "Method not allowed", null);
  }

  public static Problem notReady() {
    return of(503, "NOT_READY", "The node is starting", "the card map is loading; retry shortly");
  }

  public static Problem internal() {
    return of(500, "INTERNAL_ERROR", "Internal error", "the failure was logged");
  }

  /** PostgreSQL cannot be reached (or refuses connections): nothing was changed, the request may be repeated. */
  public static Problem databaseUnavailable() {
    return of(503, "DATABASE_UNAVAILABLE", "The database is unavailable",
        "nothing was changed; retry after the time in Retry-After");
  }

  /**
   * PUT /v1/cards/{card}/owner on a card registered to another person or on a number no card
   * has: one answer for both, so the endpoint does not tell which card numbers are registered.
   */
  public static Problem cardNotAvailable() {
    return of(409, "CARD_NOT_AVAILABLE", "The card cannot be registered to you",
        "check the number printed on the card; if the card is yours and registered to someone else, "
            + "go to an Istanbulkart sales point or call 153");
  }

  // What the HTTP decoder refuses, before a route sees the request.
  public static Problem headersTooLarge() {
    return of(431, "HEADERS_TOO_LARGE", "Request headers too large", "the request's headers exceed this listener's limit");
  }

  public static Problem uriTooLong() {
    return of(414, "URI_TOO_LONG", "Request line too long", "the request line exceeds this listener's limit");
  }

  public static Problem badRequest() {
    return of(400, "BAD_REQUEST", "Bad request", "the request is not valid HTTP/1.1");
  }
}
