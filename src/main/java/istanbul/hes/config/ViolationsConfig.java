package istanbul.hes.config;

/**
 * Recording of HES_RISK denials for the Ministry of Interior: taps of one card at one validator
 * within {@code windowSeconds} are one report; records are written in groups, a group closing
 * after {@code groupCommitMillis} or at {@code groupCommitMaxRecords}.
 */
public record ViolationsConfig(int windowSeconds, int groupCommitMillis, int groupCommitMaxRecords) {
  static ViolationsConfig from(ConfigSource source) {
    return new ViolationsConfig(
        source.integer("violations.windowSeconds", 1, 86_400),
        source.integer("violations.groupCommitMillis", 0, 1_000),
        source.integer("violations.groupCommitMaxRecords", 1, 10_000));
  }
}
