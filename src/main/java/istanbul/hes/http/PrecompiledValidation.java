package istanbul.hes.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a request against its operation in the API document with JSON Schema validators
 * built once, at start, from the contract's own schemas.
 *
 * <p>Why not vertx-openapi's per-request validation: in vertx-openapi 5.0 every validation builds
 * a new schema validator, which copies the contract's whole schema repository (664 entries for
 * the citizen operations, 519 of them the OpenAPI 3.1 meta-schemas). Under the citizen load test
 * that copying was a third of the node's CPU. The validators here hold the same schemas and
 * answer the same way; the routes keep vertx-web-openapi-router for routing and parameter
 * extraction, with its validation turned off.
 *
 * <p>Supported, and checked at start so an unsupported document fails loudly: path, query and
 * header parameters of string type (simple style), and an application/json body. Failures are
 * {@link ProblemException}s: 400 INVALID_REQUEST (parameters, body shape), 400 MALFORMED_JSON,
 * 415 for another content type.
 */
public final class PrecompiledValidation implements Handler<RoutingContext> {
  private final List<ParameterCheck> parameters;
  private final boolean bodyRequired;
  private final Validator body;

  private record ParameterCheck(Parameter parameter, Validator validator) {}

  private PrecompiledValidation(List<ParameterCheck> parameters, boolean bodyRequired, Validator body) {
    this.parameters = parameters;
    this.bodyRequired = bodyRequired;
    this.body = body;
  }

  /** The validation of {@code operationId}; fails when the document uses what this class does not support. */
  public static PrecompiledValidation of(OpenAPIContract contract, String operationId) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      throw new IllegalStateException("operation " + operationId + " is missing from the API document");
    }
    List<ParameterCheck> parameters = new ArrayList<>();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() == Location.COOKIE || parameter.getSchemaType() != SchemaType.STRING) {
        throw new IllegalStateException(operationId + ": parameter " + parameter.getName()
            + " is not a string in the path, query or header; extend PrecompiledValidation first");
      }
      parameters.add(new ParameterCheck(parameter, contract.getSchemaRepository().validator(parameter.getSchema())));
    }
    Validator body = null;
    boolean bodyRequired = false;
    if (operation.getRequestBody() != null) {
      MediaType json = operation.getRequestBody().getContent().get(MediaType.APPLICATION_JSON);
      if (json == null || operation.getRequestBody().getContent().size() != 1) {
        throw new IllegalStateException(operationId + ": only an application/json body is supported");
      }
      body = contract.getSchemaRepository().validator(json.getSchema());
      bodyRequired = operation.getRequestBody().isRequired();
    }
    return new PrecompiledValidation(List.copyOf(parameters), bodyRequired, body);
  }

  @Override
  public void handle(RoutingContext context) {
    for (ParameterCheck check : parameters) {
      String value = switch (check.parameter().getIn()) {
        case PATH -> context.pathParam(check.parameter().getName());
        case QUERY -> context.queryParams().get(check.parameter().getName());
        case HEADER -> context.request().getHeader(check.parameter().getName());
        default -> null;
      };
      if (value == null ? check.parameter().isRequired() : !valid(check.validator(), value)) {
        throw invalid();
      }
    }
    if (body != null) {
      Buffer raw = context.body() == null ? null : context.body().buffer();
      if (raw == null || raw.length() == 0) {
        if (bodyRequired) {
          throw invalid();
        }
      } else {
        String type = context.request().getHeader("Content-Type");
        if (!JsonMediaType.accepts(type)) {
          throw Problem.unsupportedMediaType().exception();
        }
        Object json;
        try {
          json = Json.decodeValue(raw);
        } catch (DecodeException e) {
          throw Problem.malformedJson("the body is not valid JSON").exception();
        }
        if (!valid(body, json)) {
          throw invalid();
        }
      }
    }
    context.next();
  }

  private static boolean valid(Validator validator, Object value) {
    try {
      OutputUnit result = validator.validate(value);
      return Boolean.TRUE.equals(result.getValid());
    } catch (SchemaException e) {
      return false;
    }
  }

  private static ProblemException invalid() {
    return Problem.of(ProblemCode.INVALID_REQUEST, "see openapi.yaml for the fields and types of this operation").exception();
  }
}
