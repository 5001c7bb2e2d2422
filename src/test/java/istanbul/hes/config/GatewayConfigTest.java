package istanbul.hes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigTest {
  private static GatewayConfig load(Map<String, String> overrides, Map<String, String> environment) {
    return GatewayConfig.from(ConfigSource.load(Optional.empty(), overrides, environment));
  }

  private static ConfigException failure(Map<String, String> overrides, Map<String, String> environment) {
    try {
      load(overrides, environment);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("the configuration was accepted: " + overrides + " " + environment);
  }

  @Test
  void theDocumentedDefaultsLoad() {
    GatewayConfig config = load(Map.of(), Map.of());
    assertThat(config.tap().port()).isEqualTo(8080);
    assertThat(config.admin().port()).isEqualTo(8082);
    assertThat(config.tap().anonymousPolicy()).isEqualTo(AnonymousPolicy.DENY);
    assertThat(config.tap().maxBatchTaps()).isEqualTo(1000);
    assertThat(config.cardStore().expectedCards()).isEqualTo(34_260_087L);
    assertThat(config.cardStore().mapFile()).isEqualTo(Path.of("data", "cards.map"));
    assertThat(config.database().embedded()).isTrue();
    assertThat(config.redis().embedded()).isTrue();
    assertThat(config.admin().operatorActionsEnabled()).isFalse();
    assertThat(config.security().keysConfigured()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "tap.port, HES_TAP_PORT",
      "database.url, HES_DATABASE_URL",
      "cardStore.expectedCards, HES_CARD_STORE_EXPECTED_CARDS",
      "security.identityEncryptionKey, HES_SECURITY_IDENTITY_ENCRYPTION_KEY",
      "tap.maxTapBodyBytes, HES_TAP_MAX_TAP_BODY_BYTES"})
  void environmentVariablesAreNamedAfterTheKey(String key, String variable) {
    assertThat(ConfigSource.environmentName(key)).isEqualTo(variable);
  }

  @Test
  void everyKeyCanBeSetFromTheEnvironment() {
    GatewayConfig config = load(Map.of(), Map.of("HES_CARD_STORE_EXPECTED_CARDS", "5000", "HES_TAP_ANONYMOUS_POLICY", "allow"));
    assertThat(config.cardStore().expectedCards()).isEqualTo(5000);
    assertThat(config.tap().anonymousPolicy()).isEqualTo(AnonymousPolicy.ALLOW);
  }

  @Test
  void theEnvironmentWinsOverOverridesAndTheFile(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("gateway.yaml");
    Files.writeString(file, "tap:\n  port: 9000\nadmin:\n  port: 9002\n");
    GatewayConfig config = GatewayConfig.from(ConfigSource.load(Optional.of(file),
        Map.of("admin.port", "9102", "node.eventLoops", "3"), Map.of("HES_ADMIN_PORT", "9202")));
    assertThat(config.tap().port()).isEqualTo(9000);
    assertThat(config.admin().port()).isEqualTo(9202);
    assertThat(config.node().eventLoops()).isEqualTo(3);
  }

  @Test
  void anUnknownKeyIsAnErrorThatNamesIt() {
    assertThat(failure(Map.of("cardStore.expectedCardz", "5"), Map.of()).getMessage())
        .contains("unknown configuration key cardStore.expectedCardz");
  }

  @Test
  void anUnknownKeyInTheFileNamesTheKeyAndTheFile(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("gateway.yaml");
    Files.writeString(file, "tap:\n  prot: 9000\n");
    assertThatThrownBy(() -> ConfigSource.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tap.prot")
        .hasMessageContaining(file.toString());
  }

  @Test
  void aMissingFileIsAnError(@TempDir Path directory) {
    assertThatThrownBy(() -> ConfigSource.load(Optional.of(directory.resolve("absent.yaml")), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absent.yaml");
  }

  @Test
  void aBadNumberNamesTheKeyAndWhereItCameFrom() {
    ConfigException error = failure(Map.of(), Map.of("HES_TAP_PORT", "eighty"));
    assertThat(error.getMessage()).contains("tap.port").contains("environment HES_TAP_PORT").contains("eighty");
  }

  @Test
  void aBadNumberFromAnOverrideNamesTheOverride() {
    assertThat(failure(Map.of("cardStore.expectedCards", "many"), Map.of()).getMessage())
        .contains("cardStore.expectedCards").contains("override");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "tap.port | 70000",
      "tap.port | -1",
      "cardStore.expectedCards | 10",
      "node.eventLoops | 5000",
      "tap.anonymousPolicy | MAYBE",
      "tap.timeZone | Mars/Olympus_Mons",
      "database.schema | Bad-Schema",
      "database.url | mysql://localhost/test",
      "redis.url | http://localhost:6379",
      "admin.operatorToken | short-token",
      "security.identityEncryptionKey | not base64!",
      "security.identityEncryptionKey | AAAAAAAAAAAAAAAAAAAAAA==",
      "security.identityHashKey | AAAAAAAAAAAAAAAAAAAAAA==",
      "security.identityEncryptionKeyId | 0",
      "security.identityHashKeyId | 256",
      "security.otherEncryptionKeys | 2",
      "security.otherEncryptionKeys | 2:not base64!",
      "security.otherEncryptionKeys | 2:AAAAAAAAAAAAAAAAAAAAAA==",
      "security.otherEncryptionKeys | 0:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "security.otherEncryptionKeys | 1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "security.otherHashKeys | 2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "security.otherHashKeys | x:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "security.rotationBatchRows | 0",
      "tap.maxBatchBodyBytes | 300",
      "violations.writers | 0",
      "violations.writers | 8"})
  void anInvalidValueNamesItsKey(String key, String value) {
    assertThat(failure(Map.of(key, value), Map.of()).getMessage()).contains("configuration key " + key);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "portal.authorizationUrl | ''",
      "portal.authorizationUrl | ftp://id.example/authorize",
      "portal.authorizationUrl | /authorize",
      "portal.authorizationUrl | https://id.example/authorize?client=x",
      "portal.tokenUrl | ''",
      "portal.tokenUrl | https://user:secret@id.example/token",
      "portal.clientId | hes portal",
      "portal.helplineIndividual | call us"})
  void anEnabledPortalNeedsItsIdentityProviderAndNamesTheKey(String key, String value) {
    Map<String, String> portal = new java.util.HashMap<>(Map.of("portal.enabled", "true",
        "portal.authorizationUrl", "https://kimlik.example/authorize", "portal.tokenUrl", "https://kimlik.example/token"));
    portal.put(key, value);
    assertThat(failure(portal, Map.of()).getMessage()).contains("configuration key " + key);
  }

  @Test
  void theConfiguredPortalGivesItsTokenEndpointsOrigin() {
    GatewayConfig config = load(Map.of("portal.enabled", "true", "portal.authorizationUrl", "https://kimlik.example/authorize",
        "portal.tokenUrl", "https://kimlik.example:8443/oauth/token"), Map.of());
    assertThat(config.portal().tokenOrigin()).isEqualTo("https://kimlik.example:8443");
    assertThat(load(Map.of(), Map.of()).portal().enabled()).as("off by default").isFalse();
  }

  @Test
  void valuesAreTrimmed() {
    assertThat(load(Map.of("tap.port", " 8181 "), Map.of()).tap().port()).isEqualTo(8181);
  }

  @Test
  void keysAreAcceptedInBase64() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    GatewayConfig config = load(Map.of("security.identityEncryptionKey", key, "security.identityHashKey", key), Map.of());
    assertThat(config.security().keysConfigured()).isTrue();
    assertThat(config.security().toString()).doesNotContain(key);
  }

  @Test
  void otherKeysAreReadByIdAndNeverPrinted() {
    String current = Base64.getEncoder().encodeToString(new byte[32]);
    byte[] material = new byte[32];
    material[0] = 7;
    String other = Base64.getEncoder().encodeToString(material);
    GatewayConfig config = load(Map.of("security.identityEncryptionKey", current, "security.identityHashKey", current,
        "security.identityEncryptionKeyId", "3", "security.identityHashKeyId", "2",
        "security.otherEncryptionKeys", " 1:" + other + " , 2:" + other, "security.otherHashKeys", "1:" + other), Map.of());
    assertThat(config.security().encryptionKeyId()).isEqualTo(3);
    assertThat(config.security().otherEncryptionKeys()).containsOnlyKeys(1, 2);
    assertThat(config.security().otherHashKeys().get(1)).isEqualTo(material);
    assertThat(config.security().toString()).doesNotContain(other, current).contains("encryption key id 3", "other ids [1, 2]");
  }

  @Test
  void secretsDoNotShowInToString() {
    GatewayConfig config = load(Map.of("admin.operatorToken", "an-operator-token-of-enough-length",
        "database.url", "postgresql://gateway:s3cret-pass@db:5432/hes", "redis.url", "redis://user:r3dis-pass@cache:6379"), Map.of());
    assertThat(config.toString()).doesNotContain("an-operator-token-of-enough-length", "s3cret-pass", "r3dis-pass");
  }
}
