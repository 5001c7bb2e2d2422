package istanbul.hes.display;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.GatewayNode;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.tap.Reason;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The validators' screen texts: every reason in both languages, cached by ETag, changed without a restart. */
class DisplayMessagesTest {
  private static final Path SHIPPED = Path.of("config", "display-messages.yaml");

  private static Map<String, String> auth(String token) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", "Bearer " + token);
    return headers;
  }

  @Test
  void aValidatorGetsEveryReasonInBothLanguagesAndAsksAgainWithItsETag() throws IOException {
    Path file = Files.createTempFile("display-messages", ".yaml");
    Files.copy(SHIPPED, file, StandardCopyOption.REPLACE_EXISTING);
    try (TestEnvironment environment = new TestEnvironment(Map.of("displayMessages.file", file.toString(),
        "displayMessages.reloadSeconds", "1"))) {
      TestNode node = environment.startNode();
      HttpResponse<Buffer> first = node.tapRequest(HttpMethod.GET, "/v1/display-messages", auth(environment.clusterToken()), null);
      assertThat(first.statusCode()).isEqualTo(200);
      JsonObject messages = first.bodyAsJsonObject().getJsonObject("messages");
      for (Reason reason : Reason.values()) {
        assertThat(messages.getJsonObject(reason.name()).getString("tr")).as(reason.name()).isNotBlank();
        assertThat(messages.getJsonObject(reason.name()).getString("en")).as(reason.name()).isNotBlank();
      }
      assertThat(messages.getJsonObject("NOT_PERSONALIZED").getString("tr")).contains("kisisellestirme.istanbulkart.istanbul");
      assertThat(messages.getJsonObject("NO_HES_CODE").getString("en")).contains("153");
      String etag = first.getHeader("ETag");
      assertThat(etag).matches("\"[0-9a-f]{16}\"").isEqualTo("\"" + first.bodyAsJsonObject().getString("version") + "\"");
      assertThat(first.getHeader("Cache-Control")).isEqualTo("no-cache");

      Map<String, String> conditional = auth(environment.clusterToken());
      conditional.put("If-None-Match", etag);
      HttpResponse<Buffer> unchanged = node.tapRequest(HttpMethod.GET, "/v1/display-messages", conditional, null);
      assertThat(unchanged.statusCode()).isEqualTo(304);
      assertThat(unchanged.getHeader("ETag")).isEqualTo(etag);

      // An operator edits a text: validators get it without a restart, under a new ETag.
      String edited = Files.readString(SHIPPED).replace("Have a good trip", "Have a good trip, Istanbul");
      write(file, edited);
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> node.tapRequest(HttpMethod.GET, "/v1/display-messages", conditional, null).statusCode() == 200);
      HttpResponse<Buffer> changed = node.tapRequest(HttpMethod.GET, "/v1/display-messages", auth(environment.clusterToken()), null);
      assertThat(changed.bodyAsJsonObject().getJsonObject("messages").getJsonObject("OK").getString("en")).isEqualTo("Have a good trip, Istanbul");
      String newTag = changed.getHeader("ETag");
      assertThat(newTag).isNotEqualTo(etag);

      // A broken edit is refused; the texts before it stay.
      write(file, "messages:\n  OK: {tr: \"\", en: \"x\"}\n");
      HttpResponse<Buffer> kept = node.tapRequest(HttpMethod.GET, "/v1/display-messages", auth(environment.clusterToken()), null);
      assertThat(kept.getHeader("ETag")).isEqualTo(newTag);

      assertThat(node.tapRequest(HttpMethod.GET, "/v1/display-messages", auth("not-a-cluster-token-at-all"), null).statusCode()).isEqualTo(401);
      assertThat(node.tapRequest(HttpMethod.GET, "/v1/display-messages", new HashMap<>(), null).statusCode()).isEqualTo(401);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aNodeWithAnInvalidFileDoesNotStartAndNamesTheKey() throws IOException {
    Path file = Files.createTempFile("display-messages", ".yaml");
    Files.writeString(file, "messages:\n  OK: {tr: \"Tamam\", en: \"OK\"}\n");
    try (TestEnvironment environment = new TestEnvironment(Map.of("displayMessages.file", file.toString()))) {
      Throwable failure = Await.failure(GatewayNode.start(environment.config()));
      assertThat(failure).isInstanceOfSatisfying(StartupFailure.class, startup -> {
        assertThat(startup.key()).isEqualTo("displayMessages.file");
        assertThat(startup.problem()).contains("is invalid").contains("HES_RISK is missing");
      });
    } finally {
      Files.deleteIfExists(file);
    }
    try (TestEnvironment environment = new TestEnvironment(Map.of("displayMessages.file", "/nonexistent/display-messages.yaml"))) {
      Throwable failure = Await.failure(GatewayNode.start(environment.config()));
      assertThat(failure).isInstanceOfSatisfying(StartupFailure.class, startup -> {
        assertThat(startup.key()).isEqualTo("displayMessages.file");
        assertThat(startup.problem()).isEqualTo("/nonexistent/display-messages.yaml cannot be read: no such file");
      });
      // Checked before the database is touched: the environment's schema was never migrated.
      assertThat(environment.column("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
          + environment.schema() + "'")).containsExactly("0");
    }
  }

  /** {@code +} stands for "messages:" and every reason but OK, valid. */
  @ParameterizedTest
  @ValueSource(strings = {
      "messages: []",
      "nothing: here",
      "messages: {OK: {tr: [",
      "+",
      "+  OK: {tr: a}",
      "+  OK: {tr: a, en: b, de: c}",
      "+  OK: {tr: \"line\\nbreak\", en: b}",
      "+  OK: {tr: a, en: b}\n  LATE: {tr: a, en: b}",
  })
  void everyKindOfBrokenFileIsRefusedSayingWhat(String yaml) {
    String content = yaml.startsWith("+") ? "messages:\n" + completeExceptOk() + yaml.substring(1) : yaml;
    assertThatThrownBy(() -> DisplayMessages.parse(Buffer.buffer(content))).isInstanceOf(ConfigException.class)
        .hasMessageMatching(".*(messages|YAML).*");
  }

  @Test
  void aTextLongerThanAScreenIsRefusedAndTheShippedFileIsAccepted() throws IOException {
    assertThat(DisplayMessages.parse(Buffer.buffer(Files.readString(SHIPPED))).fieldNames()).hasSize(Reason.values().length);
    String tooLong = "x".repeat(DisplayMessages.MAX_TEXT + 1);
    assertThatThrownBy(() -> DisplayMessages.parse(Buffer.buffer("messages:\n" + completeExceptOk() + "  OK: {tr: " + tooLong + ", en: b}\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at most 120");
    // The limit counts characters, not bytes: 120 Turkish letters fit.
    DisplayMessages.parse(Buffer.buffer("messages:\n" + completeExceptOk() + "  OK: {tr: " + "ş".repeat(DisplayMessages.MAX_TEXT) + ", en: b}\n"));
  }

  /** Every reason but OK, valid, as YAML lines under messages. */
  private static String completeExceptOk() {
    StringBuilder yaml = new StringBuilder();
    for (Reason reason : Reason.values()) {
      if (reason != Reason.OK) {
        yaml.append("  ").append(reason.name()).append(": {tr: \"metin\", en: \"text\"}\n");
      }
    }
    return yaml.toString();
  }

  private static void write(Path file, String content) throws IOException {
    Path temporary = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
