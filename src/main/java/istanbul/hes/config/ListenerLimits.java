package istanbul.hes.config;

/**
 * How one HTTP listener bounds its connections: how long one may sit idle, how long a client
 * may take to send a request's headers (slowloris), and how many may be open at once (each is
 * an open file: the listeners' caps together must stay below the process's {@code ulimit -n}).
 */
public record ListenerLimits(int idleTimeoutSeconds, int headerTimeoutMillis, int maxConnections) {
  static ListenerLimits from(ConfigSource source, String listener) {
    return new ListenerLimits(
        source.integer(listener + ".idleTimeoutSeconds", 1, 3600),
        source.integer(listener + ".headerTimeoutMillis", 100, 300_000),
        source.integer(listener + ".maxConnections", 1, 1_000_000));
  }
}
