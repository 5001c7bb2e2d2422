package istanbul.hes.config;

import java.nio.file.Path;
import java.util.Optional;

/** The citizens' listener: tokens, challenges, rate limits, SMS. */
public record CitizenConfig(
    String host,
    int port,
    int maxBodyBytes,
    String tokenIssuer,
    String tokenAudience,
    String tokenAlgorithm,
    Optional<Path> tokenPublicKeyFile,
    int tokenLeewaySeconds,
    int tokenMaxLifetimeSeconds,
    int tokenCacheEntries,
    int challengeTtlSeconds,
    int challengeMaxAttempts,
    int challengeCodeDigits,
    int challengesPerPersonPerMinute,
    int requestsPerPersonPerMinute,
    int requestsPerAddressPerMinute,
    String smsGatewayUrl,
    int smsTimeoutMillis,
    int rateLimitRedisTimeoutMillis,
    String kvkkNoticeVersion,
    String hesDataSharingVersion,
    ListenerLimits limits,
    ListenerTlsConfig tls,
    Optional<Path> smsTrustFile) {

  static CitizenConfig from(ConfigSource source) {
    String algorithm = source.string("citizen.tokenAlgorithm");
    if (!algorithm.equals("ES256") && !algorithm.equals("RS256")) {
      throw source.invalid("citizen.tokenAlgorithm", "must be ES256 or RS256, was '" + algorithm + "'");
    }
    String issuer = source.string("citizen.tokenIssuer");
    if (issuer.isEmpty()) {
      throw source.invalid("citizen.tokenIssuer", "must name the identity provider");
    }
    String audience = source.string("citizen.tokenAudience");
    if (audience.isEmpty()) {
      throw source.invalid("citizen.tokenAudience", "must not be empty");
    }
    String keyFile = source.string("citizen.tokenPublicKeyFile");
    String sms = source.string("citizen.smsGatewayUrl");
    if (!sms.isEmpty() && !(sms.startsWith("http://") || sms.startsWith("https://"))) {
      throw source.invalid("citizen.smsGatewayUrl", "must be an http(s) URL");
    }
    return new CitizenConfig(
        source.string("citizen.host"),
        source.integer("citizen.port", 0, 65535),
        source.integer("citizen.maxBodyBytes", 512, 1 << 20),
        issuer,
        audience,
        algorithm,
        keyFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(keyFile)),
        source.integer("citizen.tokenLeewaySeconds", 0, 300),
        source.integer("citizen.tokenMaxLifetimeSeconds", 60, 86_400),
        source.integer("citizen.tokenCacheEntries", 0, 1_000_000),
        source.integer("citizen.challengeTtlSeconds", 1, 3600),
        source.integer("citizen.challengeMaxAttempts", 1, 20),
        source.integer("citizen.challengeCodeDigits", 4, 10),
        source.integer("citizen.challengesPerPersonPerMinute", 1, 1000),
        source.integer("citizen.requestsPerPersonPerMinute", 1, 100_000),
        source.integer("citizen.requestsPerAddressPerMinute", 1, 1_000_000),
        sms,
        source.integer("citizen.smsTimeoutMillis", 100, 60_000),
        source.integer("citizen.rateLimitRedisTimeoutMillis", 10, 10_000),
        consentVersion(source, "citizen.kvkkNoticeVersion"),
        consentVersion(source, "citizen.hesDataSharingVersion"),
        ListenerLimits.from(source, "citizen"),
        ListenerTlsConfig.from(source, "citizen"),
        ConfigPaths.optional(source, "citizen.smsTrustFile"));
  }

  private static String consentVersion(ConfigSource source, String key) {
    String version = source.string(key);
    if (!version.matches("[A-Za-z0-9._-]{1,32}")) {
      throw source.invalid(key, "must be 1 to 32 characters A-Z, a-z, 0-9, '.', '_' or '-'");
    }
    return version;
  }
}
