package istanbul.hes.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.config.ConfigException;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.ListenerTlsConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The TLS keys of the listeners: plain by default, and combinations that cannot work are refused naming the key. */
class ListenerTlsConfigTest {
  private static GatewayConfig config(Map<String, String> overrides) {
    return GatewayConfig.from(ConfigSource.load(Optional.empty(), overrides, Map.of()));
  }

  @Test
  void everyListenerIsPlainByDefault() {
    GatewayConfig config = config(Map.of());

    assertThat(config.tap().tls().enabled()).isFalse();
    assertThat(config.citizen().tls().enabled()).isFalse();
    assertThat(config.admin().tls().enabled()).isFalse();
    assertThat(config.tap().tls().clientCertificates()).isEqualTo(ListenerTlsConfig.ClientCertificates.NONE);
    assertThat(config.ministryHealth().trustFile()).isEmpty();
    assertThat(config.ministryInterior().trustFile()).isEmpty();
    assertThat(config.citizen().smsTrustFile()).isEmpty();
  }

  @Test
  void mutualTlsIsRead() {
    GatewayConfig config = config(Map.of("tap.tlsCertificateFile", "/etc/hes/tap.pem", "tap.tlsKeyFile", "/etc/hes/tap.key",
        "tap.clientCertificates", "required", "tap.clientCaFile", "/etc/hes/validators-ca.pem"));

    assertThat(config.tap().tls()).isEqualTo(new ListenerTlsConfig(Optional.of(Path.of("/etc/hes/tap.pem")),
        Optional.of(Path.of("/etc/hes/tap.key")), 10, ListenerTlsConfig.ClientCertificates.REQUIRED,
        Optional.of(Path.of("/etc/hes/validators-ca.pem"))));
  }

  @Test
  void aCertificateWithoutItsKeyOrTheOtherWayRoundIsRefused() {
    assertThatThrownBy(() -> config(Map.of("admin.tlsCertificateFile", "/etc/hes/admin.pem")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin.tlsKeyFile");
    assertThatThrownBy(() -> config(Map.of("citizen.tlsKeyFile", "/etc/hes/citizen.key")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("citizen.tlsCertificateFile");
  }

  @Test
  void clientCertificatesNeedTlsAndACa() {
    assertThatThrownBy(() -> config(Map.of("tap.clientCertificates", "OPTIONAL", "tap.clientCaFile", "/etc/hes/ca.pem")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tap.clientCertificates");
    assertThatThrownBy(() -> config(Map.of("tap.tlsCertificateFile", "/etc/hes/tap.pem", "tap.tlsKeyFile", "/etc/hes/tap.key",
        "tap.clientCertificates", "REQUIRED")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tap.clientCaFile");
  }
}
