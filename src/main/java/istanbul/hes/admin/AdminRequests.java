package istanbul.hes.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import istanbul.hes.http.JsonMediaType;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.ProblemException;
import java.util.regex.Pattern;

/** What the operators' actions read and answer alike: JSON bodies, who changed what and why, JSON answers. */
public final class AdminRequests {
  private static final Pattern OPERATOR_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  private AdminRequests() {}

  /** Who made an operator's change and why. */
  public record OperatorChange(String by, String why) {}

  /** {"changedBy":"…","why":"…"}, both required: the operator's name and one line of why. */
  public static OperatorChange operatorChange(JsonObject body) {
    return new OperatorChange(operatorName(body, "changedBy"), why(body));
  }

  /** The operator named by {@code field}: 1 to 64 of A-Z a-z 0-9 . _ @ -. */
  public static String operatorName(JsonObject body, String field) {
    String by = body.getValue(field) instanceof String text ? text : "";
    if (!OPERATOR_NAME.matcher(by).matches()) {
      throw invalid(field + " must name the operator: 1 to 64 of A-Z a-z 0-9 . _ @ -");
    }
    return by;
  }

  private static String why(JsonObject body) {
    String why = body.getValue("why") instanceof String text ? text.strip() : "";
    if (why.isEmpty() || why.length() > 500 || why.chars().anyMatch(Character::isISOControl)) {
      throw invalid("why must say why, in one line of at most 500 characters");
    }
    return why;
  }

  /** The body as a JSON object, or 400 MALFORMED_JSON. */
  public static JsonObject objectBody(RoutingContext context) {
    JsonObject body;
    try {
      body = context.body().asJsonObject();
    } catch (RuntimeException e) {
      throw Problem.malformedJson("the body must be a JSON object").exception();
    }
    if (body == null) {
      throw Problem.malformedJson("the body must be a JSON object").exception();
    }
    return body;
  }

  /** A route handler: a body in another media type than JSON is 415. */
  public static void jsonBodyOnly(RoutingContext context) {
    if (!context.body().isEmpty() && !JsonMediaType.accepts(context.request().getHeader(HttpHeaderNames.CONTENT_TYPE))) {
      throw Problem.unsupportedMediaType().exception();
    }
    context.next();
  }

  public static void json(RoutingContext context, int status, JsonObject body) {
    context.response().setStatusCode(status).putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }

  /** 400 INVALID_REQUEST with what is wrong. */
  public static ProblemException invalid(String detail) {
    return Problem.of(ProblemCode.INVALID_REQUEST, detail).exception();
  }
}
