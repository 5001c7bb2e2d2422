package istanbul.hes.citizen.auth;

import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the identity provider's public key comes from: the configured PEM file, or, only with
 * the embedded database (demo, development), the development key pair under the data folder.
 * Blocks (file I/O): call at start, on a worker or in main, with the configuration as loaded
 * (before embedded servers fill in their URLs).
 */
public final class CitizenTokenKeys {
  private CitizenTokenKeys() {}

  public static TokenSettings settings(GatewayConfig config) {
    CitizenConfig citizen = config.citizen();
    String publicKeyPem;
    if (citizen.tokenPublicKeyFile().isPresent()) {
      Path file = citizen.tokenPublicKeyFile().get();
      try {
        publicKeyPem = Files.readString(file);
      } catch (IOException e) {
        throw new ConfigException("configuration key citizen.tokenPublicKeyFile: cannot read " + file, e);
      }
    } else if (config.database().embedded()) {
      publicKeyPem = development(config).publicKeyPem();
    } else {
      throw new ConfigException("configuration key citizen.tokenPublicKeyFile is required with an external database "
          + "(HES_CITIZEN_TOKEN_PUBLIC_KEY_FILE)");
    }
    try {
      return new TokenSettings(citizen.tokenIssuer(), citizen.tokenAudience(), citizen.tokenAlgorithm(), publicKeyPem,
          citizen.tokenLeewaySeconds(), citizen.tokenMaxLifetimeSeconds());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("configuration key citizen.tokenPublicKeyFile: " + e.getMessage(), e);
    }
  }

  /** The development key pair under node.dataDir/secrets (created on first use). */
  public static DevelopmentTokenIssuer development(GatewayConfig config) {
    if (!config.citizen().tokenAlgorithm().equals(DevelopmentTokenIssuer.ALGORITHM)) {
      throw new ConfigException("configuration key citizen.tokenAlgorithm must be " + DevelopmentTokenIssuer.ALGORITHM
          + " with the development key pair");
    }
    return DevelopmentTokenIssuer.ensure(config.node().dataDir().resolve("secrets"));
  }
}
