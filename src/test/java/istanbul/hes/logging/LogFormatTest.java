package istanbul.hes.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.ConfigSource;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LoggingEvent event(String message, Throwable throwable, Object... arguments) {
    LoggerContext context = new LoggerContext();
    return new LoggingEvent("istanbul.hes.Fqcn", context.getLogger("istanbul.hes.tap.TapHandler"), Level.WARN, message, throwable, arguments);
  }

  private static String encode(LoggingEvent event) {
    return new String(new JsonLineEncoder(ZoneId.of("Europe/Istanbul")).encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void theFormatIsTextByDefaultAndJsonWhenSoConfigured() {
    assertThat(LogFormat.from(ConfigSource.load(Optional.empty(), Map.of(), Map.of()))).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.from(ConfigSource.load(Optional.empty(), Map.of(), Map.of("HES_LOGGING_FORMAT", "json"))))
        .isEqualTo(LogFormat.JSON);
  }

  @Test
  void aMisspeltFormatNamesTheKeyAndWhereItCameFrom() {
    assertThatThrownBy(() -> LogFormat.from(ConfigSource.load(Optional.empty(), Map.of(), Map.of("HES_LOGGING_FORMAT", "jsno"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("configuration key logging.format (from environment HES_LOGGING_FORMAT)")
        .hasMessageContaining("'jsno'");
  }

  @Test
  void anEventIsOneJsonObjectOnOneLineWithAnIsoTimestampWithZone() throws Exception {
    LoggingEvent event = event("tap listener: {} \"quoted\"\nsecond line", null, "taps on 8080");
    event.setTimeStamp(1_767_225_600_123L); // 2026-01-01T00:00:00.123Z
    event.setThreadName("vert.x-eventloop-thread-1");

    String line = encode(event);

    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode object = JSON.readTree(line);
    assertThat(object.get("timestamp").asText()).isEqualTo("2026-01-01T03:00:00.123+03:00");
    assertThat(OffsetDateTime.parse(object.get("timestamp").asText()).toInstant().toEpochMilli()).isEqualTo(1_767_225_600_123L);
    assertThat(object.get("level").asText()).isEqualTo("WARN");
    assertThat(object.get("logger").asText()).isEqualTo("istanbul.hes.tap.TapHandler");
    assertThat(object.get("thread").asText()).isEqualTo("vert.x-eventloop-thread-1");
    assertThat(object.get("message").asText()).isEqualTo("tap listener: taps on 8080 \"quoted\"\nsecond line");
    assertThat(object.has("throwable")).isFalse();
    assertThat(object.size()).isEqualTo(5);
  }

  @Test
  void aStackTraceIsAFieldOfTheSameLine() throws Exception {
    String line = encode(event("the node did not start: {}", null, "x", new IllegalStateException("broken", new RuntimeException("cause"))));

    assertThat(line.strip()).doesNotContain("\n");
    String throwable = JSON.readTree(line).get("throwable").asText();
    assertThat(throwable).startsWith("java.lang.IllegalStateException: broken").contains("\tat ").contains("Caused by: java.lang.RuntimeException: cause");
  }
}
