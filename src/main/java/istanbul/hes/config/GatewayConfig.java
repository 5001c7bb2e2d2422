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
    PortalConfig portal,
    PointsConfig points,
    CampaignConfig campaigns,
    HesRecheckConfig hesRecheck,
    RiskDeltasConfig riskDeltas,
    ViolationsConfig violations,
    MinistryInteriorConfig ministryInterior,
    FanoutConfig fanout,
    StatisticsConfig statistics,
    DisplayMessagesConfig displayMessages,
    PersonalDataConfig personalData) {

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
        PortalConfig.from(source),
        PointsConfig.from(source),
        CampaignConfig.from(source),
        HesRecheckConfig.from(source),
        RiskDeltasConfig.from(source),
        ViolationsConfig.from(source),
        MinistryInteriorConfig.from(source),
        FanoutConfig.from(source),
        StatisticsConfig.from(source),
        DisplayMessagesConfig.from(source),
        PersonalDataConfig.from(source));
  }

  /** Defaults, then the file named by HES_CONFIG (if any), then the overrides, then the environment. */
  public static GatewayConfig load(Optional<Path> file, Map<String, String> overrides) {
    return from(ConfigSource.forProcess(file, overrides));
  }

  /**
   * A node runs only on servers and keys its configuration names: it starts no PostgreSQL or
   * Redis of its own and generates no keys (those are the demo's and the test suite's), so a
   * missing setting stops it here, naming the key, instead of letting it answer from an empty
   * database.
   */
  public void requireServers() {
    if (database.url().isEmpty()) {
      throw StartupFailure.configuration("database.url", "is empty: a node needs the URL of its PostgreSQL, "
          + "e.g. postgresql://gateway@db.example:5432/hes (embedded servers are for the demo and the tests only)");
    }
    if (redis.url().isEmpty()) {
      throw StartupFailure.configuration("redis.url", "is empty: a node needs the URL of its Redis, "
          + "e.g. redis://redis.example:6379 (embedded servers are for the demo and the tests only)");
    }
    if (security.identityEncryptionKey().length == 0) {
      throw StartupFailure.configuration("security.identityEncryptionKey", "is empty: a node needs the AES-256 key "
          + "of the personal data it stores (32 bytes, base64)");
    }
    if (security.identityHashKey().length == 0) {
      throw StartupFailure.configuration("security.identityHashKey", "is empty: a node needs the HMAC key "
          + "its identity lookups use (at least 32 bytes, base64)");
    }
    if (citizen.smsGatewayUrl().isEmpty()) {
      throw StartupFailure.configuration("citizen.smsGatewayUrl", "is empty: a node needs the URL of the SMS gateway "
          + "that sends citizens their verification codes, e.g. https://sms.example/messages (the kit's simulator sms "
          + "stands in for one in the demo and the tests)");
    }
  }

  public GatewayConfig withStatistics(StatisticsConfig newStatistics) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, newStatistics, displayMessages, personalData);
  }

  public GatewayConfig withCitizen(CitizenConfig newCitizen) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, ministryHealth, newCitizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withPoints(PointsConfig newPoints) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, ministryHealth, citizen, portal, newPoints, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withCampaigns(CampaignConfig newCampaigns) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, ministryHealth, citizen, portal, points, newCampaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withDatabase(DatabaseConfig newDatabase) {
    return new GatewayConfig(node, tap, admin, newDatabase, redis, cardStore, security, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withRedis(RedisConfig newRedis) {
    return new GatewayConfig(node, tap, admin, database, newRedis, cardStore, security, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withSecurity(SecurityConfig newSecurity) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, newSecurity, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withMinistryHealth(MinistryHealthConfig newMinistryHealth) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, newMinistryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withNode(NodeConfig newNode) {
    return new GatewayConfig(newNode, tap, admin, database, redis, cardStore, security, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withTap(TapConfig newTap) {
    return new GatewayConfig(node, newTap, admin, database, redis, cardStore, security, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withCardStore(CardStoreConfig newCardStore) {
    return new GatewayConfig(node, tap, admin, database, redis, newCardStore, security, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, violations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }

  public GatewayConfig withViolations(ViolationsConfig newViolations) {
    return new GatewayConfig(node, tap, admin, database, redis, cardStore, security, ministryHealth, citizen, portal, points, campaigns, hesRecheck, riskDeltas, newViolations, ministryInterior, fanout, statistics, displayMessages, personalData);
  }
}
