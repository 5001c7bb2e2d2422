package istanbul.hes.config;

/**
 * Operator statistics: whether taps are recorded at all, how often each node writes what it
 * recorded (a node killed loses at most this much), how many days back a tap's own date is still
 * counted (validators upload offline taps late), how long after a day's last write its deltas are
 * compacted into bitmaps, and how often the figures of today are refreshed for the gauges.
 */
public record StatisticsConfig(boolean enabled, int flushSeconds, int lateTapDays, int compactAfterSeconds,
    int gaugeRefreshSeconds) {
  static StatisticsConfig from(ConfigSource source) {
    return new StatisticsConfig(
        source.bool("statistics.enabled"),
        source.integer("statistics.flushSeconds", 1, 3_600),
        source.integer("statistics.lateTapDays", 0, 5),
        source.integer("statistics.compactAfterSeconds", 0, 86_400),
        source.integer("statistics.gaugeRefreshSeconds", 1, 86_400));
  }
}
