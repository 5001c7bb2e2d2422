package istanbul.hes.config;

/**
 * The periodic re-check of linked HES codes with the Ministry of Health: every
 * {@code intervalSeconds} (0: off) a node claims up to {@code batchSize} links last checked more
 * than {@code afterSeconds} ago and asks the ministry about them in bulk.
 */
public record HesRecheckConfig(int intervalSeconds, long afterSeconds, int batchSize) {
  static HesRecheckConfig from(ConfigSource source) {
    return new HesRecheckConfig(
        source.integer("hesRecheck.intervalSeconds", 0, 86_400),
        source.longValue("hesRecheck.afterSeconds", 0, 30L * 86_400),
        source.integer("hesRecheck.batchSize", 1, 10_000));
  }

  public boolean enabled() {
    return intervalSeconds > 0;
  }
}
