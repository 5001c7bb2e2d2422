package istanbul.hes.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The project's API document ({@code openapi.yaml}), loaded for request validation.
 *
 * <p>The document describes every error as {@code application/problem+json} (RFC 9457), which
 * vertx-openapi 5.0 refuses in a contract (it knows a fixed list of media types; custom ones
 * arrive in later releases: eclipse-vertx/vertx-openapi#116). The gateway validates requests
 * only, so the validation copy drops the bodies of problem responses; the published document
 * stays exact.
 */
public final class ApiContract {
  public static final String RESOURCE = "openapi.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ApiContract() {}

  /** Reads and prepares the document on a worker (it is a class-path read), then builds the contract. */
  public static Future<OpenAPIContract> load(Vertx vertx) {
    return vertx.executeBlocking(ApiContract::forValidation).compose(document -> OpenAPIContract.from(vertx, document));
  }

  /**
   * The contract of one listener: only the operations it serves (a router built from the whole
   * document would mount the other listeners' paths too).
   */
  public static Future<OpenAPIContract> load(Vertx vertx, Set<String> operationIds) {
    return vertx.executeBlocking(() -> only(forValidation(), operationIds))
        .compose(document -> OpenAPIContract.from(vertx, document));
  }

  static JsonObject only(JsonObject document, Set<String> operationIds) {
    JsonObject paths = document.getJsonObject("paths", new JsonObject());
    for (String path : Set.copyOf(paths.fieldNames())) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : Set.copyOf(item.fieldNames())) {
        if (item.getValue(method) instanceof JsonObject operation && !operationIds.contains(operation.getString("operationId"))) {
          item.remove(method);
        }
      }
      if (item.fieldNames().stream().noneMatch(name -> item.getValue(name) instanceof JsonObject operation
          && operation.containsKey("operationId"))) {
        paths.remove(path);
      }
    }
    return document;
  }

  static JsonObject forValidation() {
    JsonObject document = read();
    JsonObject responses = document.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject());
    responses.forEach(entry -> stripProblemBody((JsonObject) entry.getValue()));
    document.getJsonObject("paths", new JsonObject()).forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject body && body.containsKey("responses")) {
        body.getJsonObject("responses").forEach(response -> stripProblemBody((JsonObject) response.getValue()));
      }
    }));
    return document;
  }

  /** Response bodies in media types vertx-openapi 5.0 refuses (problems, the binary hotlist) are not validated: dropped. */
  private static void stripProblemBody(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content == null) {
      return;
    }
    content.remove(Problem.MEDIA_TYPE);
    content.remove("application/vnd.hes.hotlist");
    if (content.isEmpty()) {
      response.remove("content");
    }
  }

  @SuppressWarnings("unchecked")
  private static JsonObject read() {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new JsonObject(YAML.readValue(in, Map.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
