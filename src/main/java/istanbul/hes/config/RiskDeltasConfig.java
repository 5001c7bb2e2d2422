package istanbul.hes.config;

/**
 * Ingestion of the Ministry of Health's risk delta feed ({@code {ministryHealth.baseUrl}/v1/risk-deltas},
 * with the ministry's credentials): on or off, the page size asked for, the pause once caught up,
 * and the backoff after a failure or a hole (doubling from {@code backoffMillis} up to
 * {@code maxBackoffMillis}).
 */
public record RiskDeltasConfig(boolean enabled, int pageSize, int pollMillis, int timeoutMillis, int backoffMillis,
    int maxBackoffMillis) {
  static RiskDeltasConfig from(ConfigSource source) {
    return new RiskDeltasConfig(
        source.bool("riskDeltas.enabled"),
        source.integer("riskDeltas.pageSize", 1, 10_000),
        source.integer("riskDeltas.pollMillis", 10, 600_000),
        source.integer("riskDeltas.timeoutMillis", 100, 120_000),
        source.integer("riskDeltas.backoffMillis", 10, 600_000),
        source.integer("riskDeltas.maxBackoffMillis", 10, 3_600_000));
  }
}
