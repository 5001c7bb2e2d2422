package istanbul.hes.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The whole node configuration, loaded and validated once at start. */
public record GatewayConfig(
    NodeConfig node,
    TapConfig tap,
    AdminConfig admin,
    DatabaseConfig database,
    RedisConfig redis,
    CardStoreConfig cardStore,
    SecurityConfig security,
    MinistryHealthConfig ministryHealth,
    CitizenConfig citizen,
    HesRecheckConfig hesRecheck,
    RiskDeltasConfig riskDeltas,
    ViolationsConfig violations,
    MinistryInteriorConfig ministryInterior,
    FanoutConfig fanout) {

  public static GatewayConfig from(ConfigSource source) {
    NodeConfig node = NodeConfig.from(source);
    return new GatewayConfig(
        node,
        TapConfig.from(source),
        AdminConfig.from(source),
        DatabaseConfig.from(source),
        RedisConfig.from(source),
        CardStoreConfig.from(source, node),
        SecurityConfig.from(source),
        MinistryHealthConfig.from(source),
        CitizenConfig.from(source),
        HesRecheckConfig.from(source),
        RiskDeltasConfig.from(source),
        ViolationsConfig.from(source),
        MinistryInteriorConfig.from(source),
        FanoutConfig.from(source));
  }

  /** Defaults, then the file named by HES_CONFIG (if any), then the overrides, then the environment. */
  public static GatewayConfig load(Optional<Path> file, Map<String, String> overrides) {
    Map<String, String> environment = System.getenv();
    Optional<Path> chosen = file.or(() -> Optional.ofNullable(environment.get("HES_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
    return from(ConfigSource.load(chosen, overrides, environment));
  }

  public GatewayConfig withCitizen(CitizenConfig newCitizen) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, ministryHealth, newCitizen, hesRecheck, riskDeltas, violations, ministryInterior, fanout);
  }

  public GatewayConfig withDatabase(DatabaseConfig newDatabase) {
    return new GatewayConfig(node, tap, admin, newDatabase, redis, cardStore, security, ministryHealth, citizen, hesRecheck, riskDeltas, violations, ministryInterior, fanout);
  }

  public GatewayConfig withRedis(RedisConfig newRedis) {
    return new GatewayConfig(node, tap, admin, database, newRedis, cardStore, security, ministryHealth, citizen, hesRecheck, riskDeltas, violations, ministryInterior, fanout);
  }

  public GatewayConfig withSecurity(SecurityConfig newSecurity) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, newSecurity, ministryHealth, citizen, hesRecheck, riskDeltas, violations, ministryInterior, fanout);
  }

  public GatewayConfig withMinistryHealth(MinistryHealthConfig newMinistryHealth) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, newMinistryHealth, citizen, hesRecheck, riskDeltas, violations, ministryInterior, fanout);
  }

  public GatewayConfig withNode(NodeConfig newNode) {
    return new GatewayConfig(newNode, tap, admin, database, redis, cardStore, security, ministryHealth, citizen, hesRecheck, riskDeltas, violations, ministryInterior, fanout);
  }

  public GatewayConfig withCardStore(CardStoreConfig newCardStore) {
    return new GatewayConfig(node, tap, admin, database, redis, newCardStore, security, ministryHealth, citizen, hesRecheck, riskDeltas, violations, ministryInterior, fanout);
  }
}
