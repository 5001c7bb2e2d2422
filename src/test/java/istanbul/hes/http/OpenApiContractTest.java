package istanbul.hes.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import istanbul.hes.testing.Await;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The project's API document is a valid OpenAPI contract and names every citizen operation. */
class OpenApiContractTest {
  @Test
  void thePublishedDocumentDescribesErrorsAsProblemJsonAndOnlyTheValidationCopyDropsThem() throws Exception {
    try (var in = getClass().getClassLoader().getResourceAsStream(ApiContract.RESOURCE)) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("application/problem+json");
    }
    assertThat(ApiContract.forValidation().encode()).doesNotContain("\"application/problem+json\":");
  }

  @Test
  void theContractLoadsAndHasTheCitizenOperations() {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = Await.result(ApiContract.load(vertx));
      List<String> operations = contract.operations().stream().map(Operation::getOperationId).toList();
      assertThat(operations).contains("issueChallenge", "personalizeCard", "viewHesCode", "linkHesCode", "updateHesCode",
          "removeHesCode");
      assertThat(contract.getPaths()).extracting(path -> path.getName())
          .contains("/v1/taps", "/v1/taps/batch", "/v1/cards/{card}/owner", "/v1/cards/{card}/hes-code");
    } finally {
      Await.result(vertx.close());
    }
  }
}
