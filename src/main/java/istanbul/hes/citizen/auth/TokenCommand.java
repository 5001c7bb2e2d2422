package istanbul.hes.citizen.auth;

import io.vertx.core.Vertx;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar hes-gateway.jar token --subject TCKN:10000000146 [--data-dir data/demo]
 * [--minutes 15] [--config FILE]}: prints a citizen token signed with the development key pair,
 * standing in for the portal's identity provider. Refused when a real provider's key is set.
 */
public final class TokenCommand {
  private TokenCommand() {}

  public static void run(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    String subject = options.get("--subject");
    if (subject == null || !(subject.startsWith("TCKN:") || subject.startsWith("PASSPORT:"))) {
      throw new ConfigException("token: --subject TCKN:<11 digits> or --subject PASSPORT:<NAT>:<number> is required");
    }
    int minutes;
    try {
      minutes = Integer.parseInt(options.getOrDefault("--minutes", "15"));
    } catch (NumberFormatException e) {
      throw new ConfigException("token: --minutes must be a whole number");
    }
    Map<String, String> overrides = new HashMap<>();
    overrides.put("node.dataDir", options.getOrDefault("--data-dir", "data/demo"));
    GatewayConfig config = GatewayConfig.load(Optional.ofNullable(options.get("--config")).map(Path::of), overrides);
    if (config.citizen().tokenPublicKeyFile().isPresent()) {
      throw new ConfigException("token: citizen.tokenPublicKeyFile is set, so tokens come from the real identity provider");
    }
    DevelopmentTokenIssuer issuer = CitizenTokenKeys.development(config);
    Vertx vertx = Vertx.vertx();
    try {
      String token = issuer.mint(vertx, subject, config.citizen().tokenIssuer(), config.citizen().tokenAudience(),
          Duration.ofMinutes(Math.min(minutes, config.citizen().tokenMaxLifetimeSeconds() / 60)));
      System.out.println(token);
    } finally {
      vertx.close();
    }
  }
}
