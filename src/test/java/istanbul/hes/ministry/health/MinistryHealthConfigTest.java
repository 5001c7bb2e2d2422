package istanbul.hes.ministry.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.config.ConfigException;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.MinistryHealthConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ministryHealth section of the configuration. */
class MinistryHealthConfigTest {
  private static MinistryHealthConfig load(Map<String, String> overrides, Map<String, String> environment) {
    return GatewayConfig.from(ConfigSource.load(Optional.empty(), overrides, environment)).ministryHealth();
  }

  @Test
  void theDefaultsLeaveTheMinistryNotConfigured() {
    MinistryHealthConfig config = load(Map.of(), Map.of());
    assertThat(config.configured()).isFalse();
    assertThat(config.timeoutMillis()).isEqualTo(2000);
    assertThat(config.retries()).isEqualTo(2);
    assertThat(config.breakerFailures()).isEqualTo(5);
    assertThat(config.breakerResetMillis()).isEqualTo(10_000);
    assertThat(config.bulkBatchSize()).isEqualTo(500);
  }

  @Test
  void credentialsComeFromTheEnvironmentAndNeverShow() {
    assertThat(ConfigSource.environmentName("ministryHealth.password")).isEqualTo("HES_MINISTRY_HEALTH_PASSWORD");
    MinistryHealthConfig config = load(Map.of("ministryHealth.baseUrl", "https://hes.example/services/"),
        Map.of("HES_MINISTRY_HEALTH_USERNAME", "inst-user-42", "HES_MINISTRY_HEALTH_PASSWORD", "p4ss-from-env"));
    assertThat(config.baseUrl()).isEqualTo("https://hes.example/services");
    assertThat(config.username()).isEqualTo("inst-user-42");
    assertThat(config.password()).isEqualTo("p4ss-from-env");
    assertThat(config.toString()).doesNotContain("inst-user-42", "p4ss-from-env");
    assertThat(GatewayConfig.from(ConfigSource.load(Optional.empty(), Map.of("ministryHealth.baseUrl", "https://hes.example"),
        Map.of("HES_MINISTRY_HEALTH_USERNAME", "inst-user-42", "HES_MINISTRY_HEALTH_PASSWORD", "p4ss-from-env"))).toString())
        .doesNotContain("inst-user-42", "p4ss-from-env");
  }

  @Test
  void aBaseUrlNeedsCredentialsAndBadValuesNameTheirKey() {
    assertThatThrownBy(() -> load(Map.of("ministryHealth.baseUrl", "https://hes.example"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ministryHealth.username");
    assertThatThrownBy(() -> load(Map.of("ministryHealth.baseUrl", "ftp://hes.example", "ministryHealth.username", "u",
        "ministryHealth.password", "p"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ministryHealth.baseUrl");
    assertThatThrownBy(() -> load(Map.of("ministryHealth.bulkBatchSize", "0"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ministryHealth.bulkBatchSize");
    assertThatThrownBy(() -> load(Map.of("ministryHealth.timeoutMillis", "soon"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ministryHealth.timeoutMillis");
  }
}
