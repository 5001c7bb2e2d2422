package istanbul.hes.db;

import io.vertx.pgclient.PgConnectOptions;
import istanbul.hes.config.StartupFailure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;

/**
 * Why the node could not use its PostgreSQL at start, in one line naming the key to look at: the
 * server is not there (environment, exit 1), or it refuses what the settings say (configuration,
 * exit 2). The driver's own text follows, first line only; never the password.
 */
final class DatabaseStartupFailures {
  private static final String URL_KEY = "database.url";

  private DatabaseStartupFailures() {}

  static StartupFailure describe(FlywayException failure, PgConnectOptions options, String schema) {
    String server = "PostgreSQL at " + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase()
        + " (user " + options.getUser() + ")";
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnknownHostException) {
        return StartupFailure.configuration(URL_KEY, "cannot reach " + server + ": unknown host " + options.getHost(), failure);
      }
      if (cause instanceof ConnectException || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException) {
        return StartupFailure.environment(URL_KEY, "cannot reach " + server + ": " + StartupFailure.causeText(cause), failure);
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        String text = StartupFailure.causeText(sql);
        if (state.startsWith("28")) {
          return StartupFailure.configuration(URL_KEY, server + " refused the login: " + text
              + " (the password comes from database.password / HES_DATABASE_PASSWORD or the URL)", failure);
        }
        if (state.equals("3D000")) {
          return StartupFailure.configuration(URL_KEY, server + " has no such database: " + text, failure);
        }
        if (state.equals("42501")) {
          return StartupFailure.configuration("database.schema", server + " does not let the user create or change schema "
              + schema + ": " + text, failure);
        }
        if (state.startsWith("08")) {
          return StartupFailure.environment(URL_KEY, "cannot reach " + server + ": " + text, failure);
        }
        if (state.startsWith("57P") || state.startsWith("53")) {
          return StartupFailure.environment(URL_KEY, server + " cannot take the node now: " + text, failure);
        }
      }
    }
    return StartupFailure.environment(URL_KEY, "the schema migrations on " + server + " failed: "
        + StartupFailure.causeText(failure), failure);
  }
}
