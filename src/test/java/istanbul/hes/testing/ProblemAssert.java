package istanbul.hes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Every error answer is an RFC 9457 problem with a stable code. */
public final class ProblemAssert {
  private ProblemAssert() {}

  public static JsonObject assertProblem(HttpResponse<Buffer> response, int status, String code) {
    String body = response.bodyAsString();
    assertThat(response.statusCode()).as("status of %s", body).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).as("content type of %s", body).isEqualTo("application/problem+json");
    JsonObject problem = new JsonObject(body);
    assertThat(problem.fieldNames()).as("members of %s", body).contains("type", "title", "status", "code");
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("code")).as("code of %s", body).isEqualTo(code);
    assertThat(problem.getString("type")).isNotBlank();
    assertThat(problem.getString("title")).isNotBlank();
    return problem;
  }
}
