package istanbul.hes.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.citizen.auth.DevelopmentTokenIssuer;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.StartupFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeysTest {
  @TempDir
  Path data;

  private GatewayConfig config(Map<String, String> extra) {
    Map<String, String> overrides = new HashMap<>(extra);
    overrides.put("node.dataDir", data.toString());
    return GatewayConfig.from(ConfigSource.load(Optional.empty(), overrides, Map.of()));
  }

  @Test
  void theDevelopmentKeyPairIsMadeOnceAndKeptForTheDemo() {
    DevelopmentTokenIssuer first = DevelopmentTokenIssuer.forNode(config(Map.of()));
    DevelopmentTokenIssuer second = DevelopmentTokenIssuer.forNode(config(Map.of()));
    assertThat(first.publicKeyPem()).contains("BEGIN PUBLIC KEY").isEqualTo(second.publicKeyPem());
    assertThat(data.resolve("secrets/citizen-token-rs256-private.pem")).exists();
  }

  @Test
  void aNodeNeedsTheIdentityProvidersKeyAndNeverMakesOne() {
    assertThatThrownBy(() -> TokenKeys.citizen(config(Map.of())))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("citizen.tokenPublicKeyFile");
          assertThat(failure.kind()).isEqualTo(StartupFailure.Kind.CONFIGURATION);
        });
    assertThat(data.resolve("secrets")).doesNotExist();
  }

  @Test
  void aMissingKeyFileIsNamedWithItsCause() {
    Path missing = data.resolve("no-such.pem");
    assertThatThrownBy(() -> TokenKeys.citizen(config(Map.of("citizen.tokenPublicKeyFile", missing.toString()))))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("citizen.tokenPublicKeyFile");
          assertThat(failure.problem()).isEqualTo("cannot read " + missing + ": no such file");
        });
  }

  @Test
  void aConfiguredKeyFileWinsAndMustHoldAPublicKey() throws Exception {
    Path key = Files.writeString(data.resolve("idp.pem"), DevelopmentTokenIssuer.generated().publicKeyPem());
    TokenSettings settings = TokenKeys.citizen(config(Map.of("database.url", "postgresql://postgres@127.0.0.1:5432/test",
        "citizen.tokenPublicKeyFile", key.toString())));
    assertThat(settings.publicKeyPem()).isEqualTo(Files.readString(key));
    assertThat(data.resolve("secrets")).doesNotExist();

    Path notAKey = Files.writeString(data.resolve("not-a-key.pem"), "hello");
    assertThatThrownBy(() -> TokenKeys.citizen(config(Map.of("citizen.tokenPublicKeyFile", notAKey.toString()))))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("citizen.tokenPublicKeyFile");
          assertThat(failure.problem()).startsWith(notAKey + " is not a usable public key").doesNotContain("\n");
        });
  }

  @Test
  void theStaffProvidersKeyIsReadOnlyWhenThePointsListenerIsOnAndNamedWhenMissingOrOfTheWrongKind() throws Exception {
    assertThat(TokenKeys.points(config(Map.of()))).isEmpty();
    assertThatThrownBy(() -> TokenKeys.points(config(Map.of("points.enabled", "true"))))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("points.tokenPublicKeyFile");
          assertThat(failure.problem()).contains("staff identity provider");
        });
    Path ecKey = Files.writeString(data.resolve("staff-ec.pem"), DevelopmentTokenIssuer.generated("ES256").publicKeyPem());
    assertThatThrownBy(() -> TokenKeys.points(config(Map.of("points.enabled", "true", "points.tokenPublicKeyFile", ecKey.toString()))))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("points.tokenPublicKeyFile");
          assertThat(failure.problem()).contains("points.tokenAlgorithm is RS256");
        });
    Path rsaKey = Files.writeString(data.resolve("staff.pem"), DevelopmentTokenIssuer.generated().publicKeyPem());
    TokenSettings staff = TokenKeys.points(config(Map.of("points.enabled", "true", "points.tokenPublicKeyFile", rsaKey.toString())))
        .orElseThrow();
    assertThat(staff.issuer()).isEqualTo("https://personel.hes-gateway.dev");
    assertThat(staff.audience()).isEqualTo("hes-gateway-points");
  }
}
