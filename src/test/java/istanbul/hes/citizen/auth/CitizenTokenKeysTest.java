package istanbul.hes.citizen.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class CitizenTokenKeysTest {
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
    assertThatThrownBy(() -> CitizenTokenKeys.settings(config(Map.of())))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("citizen.tokenPublicKeyFile");
          assertThat(failure.kind()).isEqualTo(StartupFailure.Kind.CONFIGURATION);
        });
    assertThat(data.resolve("secrets")).doesNotExist();
  }

  @Test
  void aMissingKeyFileIsNamedWithItsCause() {
    Path missing = data.resolve("no-such.pem");
    assertThatThrownBy(() -> CitizenTokenKeys.settings(config(Map.of("citizen.tokenPublicKeyFile", missing.toString()))))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("citizen.tokenPublicKeyFile");
          assertThat(failure.problem()).isEqualTo("cannot read " + missing + ": no such file");
        });
  }

  @Test
  void aConfiguredKeyFileWinsAndMustHoldAPublicKey() throws Exception {
    Path key = Files.writeString(data.resolve("idp.pem"), DevelopmentTokenIssuer.generated().publicKeyPem());
    TokenSettings settings = CitizenTokenKeys.settings(config(Map.of("database.url", "postgresql://postgres@127.0.0.1:5432/test",
        "citizen.tokenPublicKeyFile", key.toString())));
    assertThat(settings.publicKeyPem()).isEqualTo(Files.readString(key));
    assertThat(data.resolve("secrets")).doesNotExist();

    Path notAKey = Files.writeString(data.resolve("not-a-key.pem"), "hello");
    assertThatThrownBy(() -> CitizenTokenKeys.settings(config(Map.of("citizen.tokenPublicKeyFile", notAKey.toString()))))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("citizen.tokenPublicKeyFile");
          assertThat(failure.problem()).startsWith(notAKey + " is not a usable public key").doesNotContain("\n");
        });
  }
}
