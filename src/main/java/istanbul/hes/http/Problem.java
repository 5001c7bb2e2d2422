package istanbul.hes.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * An RFC 9457 problem: every failure a client can see, with a stable machine-readable
 * {@code code} from the one catalogue ({@link ProblemCode}, which decides its status and title).
 * The detail never carries personal data: it names fields, not their values.
 */
public record Problem(ProblemCode kind, String detail) {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:hes-gateway:problem:";

  public static Problem of(ProblemCode kind, String detail) {
    return new Problem(kind, detail);
  }

  public int status() {
    return kind.status();
  }

  public String code() {
    return kind.name();
  }

  public String title() {
    return kind.title();
  }

  public String type() {
    return TYPE_PREFIX + code().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type())
        .put("title", title())
        .put("status", status())
        .put("code", code());
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
    return of(ProblemCode.MALFORMED_JSON, detail);
  }

  public static Problem bodyTooLarge() {
    return of(ProblemCode.BODY_TOO_LARGE, "the body exceeds this endpoint's limit (see the API document)");
  }

  public static Problem unsupportedMediaType() {
    return of(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send application/json");
  }

  public static Problem unauthorized() {
    return of(ProblemCode.UNAUTHORIZED, "send Authorization: Bearer <token>");
  }

  public static Problem notFound() {
    return of(ProblemCode.NOT_FOUND, null);
  }

  public static Problem methodNotAllowed() {
    return of(ProblemCode.METHOD_NOT_ALLOWED, null);
  }

  public static Problem notReady() {
    return of(ProblemCode.NOT_READY, "the card map is loading; retry shortly");
  }

  public static Problem internal() {
    return of(ProblemCode.INTERNAL_ERROR, "the failure was logged");
  }

  /** PostgreSQL cannot be reached (or refuses connections): nothing was changed, the request may be repeated. */
  public static Problem databaseUnavailable() {
    return of(ProblemCode.DATABASE_UNAVAILABLE, "nothing was changed; retry after the time in Retry-After");
  }

  // What the HTTP decoder refuses, before a route sees the request.
  public static Problem headersTooLarge() {
    return of(ProblemCode.HEADERS_TOO_LARGE, "the request's headers exceed this listener's limit");
  }

  public static Problem uriTooLong() {
    return of(ProblemCode.URI_TOO_LONG, "the request line exceeds this listener's limit");
  }

  public static Problem badRequest() {
    return of(ProblemCode.BAD_REQUEST, "the request is not valid HTTP/1.1");
  }
}
