package istanbul.hes.config;

/**
 * Status fan-out between the nodes of a cluster over a Redis Stream ({@code redis.keyPrefix} +
 * {@code card-status}): on or off; how many entries the stream keeps (approximate trimming; a
 * node whose position was trimmed away resyncs from the PostgreSQL change log); entries read per
 * call and how long a read waits; the reconnect backoff (doubling up to the maximum); and how
 * often every node also catches up from the change log, which covers a change whose publication
 * was lost (a node that died between its commit and the publish).
 */
public record FanoutConfig(boolean enabled, long streamMaxEntries, int readCount, int blockMillis, int reconnectMillis,
    int maxReconnectMillis, int logCatchUpSeconds) {
  static FanoutConfig from(ConfigSource source) {
    return new FanoutConfig(
        source.bool("fanout.enabled"),
        source.longValue("fanout.streamMaxEntries", 10, 100_000_000L),
        source.integer("fanout.readCount", 1, 100_000),
        source.integer("fanout.blockMillis", 10, 60_000),
        source.integer("fanout.reconnectMillis", 10, 60_000),
        source.integer("fanout.maxReconnectMillis", 10, 600_000),
        source.integer("fanout.logCatchUpSeconds", 1, 86_400));
  }
}
