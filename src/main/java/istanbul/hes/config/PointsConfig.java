package istanbul.hes.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The sales and top-up points' listener: agents of the municipality's staff identity provider
 * acting for a holder who is present. Off unless {@code points.enabled}; on, it needs the staff
 * provider's issuer, audience and public key (never the citizens').
 */
public record PointsConfig(
    boolean enabled,
    String host,
    int port,
    int maxBodyBytes,
    String tokenIssuer,
    String tokenAudience,
    String tokenAlgorithm,
    Optional<Path> tokenPublicKeyFile,
    int tokenLeewaySeconds,
    int tokenMaxLifetimeSeconds,
    String agentRole,
    int holderSessionSeconds,
    int requestsPerAgentPerMinute,
    int requestsPerPointPerMinute,
    int holderChecksPerAgentPerMinute,
    ListenerLimits limits,
    ListenerTlsConfig tls) {

  /** What a token's agent and point claims may be: staff identifiers, never personal data. */
  public static final Pattern STAFF_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  static PointsConfig from(ConfigSource source) {
    boolean enabled = source.bool("points.enabled");
    String algorithm = source.string("points.tokenAlgorithm");
    if (!algorithm.equals("ES256") && !algorithm.equals("RS256")) {
      throw source.invalid("points.tokenAlgorithm", "must be ES256 or RS256, was '" + algorithm + "'");
    }
    String issuer = source.string("points.tokenIssuer");
    String audience = source.string("points.tokenAudience");
    String keyFile = source.string("points.tokenPublicKeyFile");
    String role = source.string("points.agentRole");
    if (enabled) {
      if (issuer.isEmpty()) {
        throw source.invalid("points.tokenIssuer", "must name the staff identity provider when points.enabled is true");
      }
      if (audience.isEmpty()) {
        throw source.invalid("points.tokenAudience", "must not be empty when points.enabled is true");
      }
      if (!STAFF_ID.matcher(role).matches()) {
        throw source.invalid("points.agentRole", "must be 1 to 64 characters A-Z, a-z, 0-9, '.', '_' or '-'");
      }
    }
    return new PointsConfig(
        enabled,
        source.string("points.host"),
        source.integer("points.port", 0, 65535),
        source.integer("points.maxBodyBytes", 512, 1 << 20),
        issuer,
        audience,
        algorithm,
        keyFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(keyFile)),
        source.integer("points.tokenLeewaySeconds", 0, 300),
        source.integer("points.tokenMaxLifetimeSeconds", 60, 86_400),
        role,
        source.integer("points.holderSessionSeconds", 30, 3600),
        source.integer("points.requestsPerAgentPerMinute", 1, 100_000),
        source.integer("points.requestsPerPointPerMinute", 1, 1_000_000),
        source.integer("points.holderChecksPerAgentPerMinute", 1, 1000),
        ListenerLimits.from(source, "points"),
        ListenerTlsConfig.withClientCertificates(source, "points"));
  }
}
