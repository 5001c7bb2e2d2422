package istanbul.hes.config;

/**
 * Recording of HES_RISK denials for the Ministry of Interior: taps of one card at one validator
 * within {@code windowSeconds} are one report; records are written in groups, a group closing
 * after {@code groupCommitMillis} or at {@code groupCommitMaxRecords}, by {@code writers} writers
 * side by side (each one statement at a time, a card always with the same writer).
 */
public record ViolationsConfig(int windowSeconds, int groupCommitMillis, int groupCommitMaxRecords, int writers) {
  static ViolationsConfig from(ConfigSource source) {
    int writers = source.integer("violations.writers", 1, 16);
    int poolSize = source.integer("database.poolSize", 1, 512);
    if (writers >= poolSize) {
      throw source.invalid("violations.writers", "is " + writers + ", must be below database.poolSize (" + poolSize
          + "): each writer holds a connection while it writes, and taps, citizens and deltas need the rest");
    }
    return new ViolationsConfig(
        source.integer("violations.windowSeconds", 1, 86_400),
        source.integer("violations.groupCommitMillis", 0, 1_000),
        source.integer("violations.groupCommitMaxRecords", 1, 10_000),
        writers);
  }
}
