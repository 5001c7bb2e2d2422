package istanbul.hes.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import istanbul.hes.config.ConfigSource;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The node's log format ({@code logging.format}): {@code text} lines as logback.xml writes them,
 * or {@code json}, one object per line (see {@link JsonLineEncoder}). Read from the node's
 * configuration before anything else is validated or logged, so that every line of a node's
 * life is in the chosen format; logback itself is initialised earlier, with the text format,
 * because the configuration file and environment are only known to the node.
 */
public enum LogFormat {
  TEXT,
  JSON;

  public static final String KEY = "logging.format";

  /** The validated value: a misspelt format stops the node with a message naming the key. */
  public static LogFormat from(ConfigSource source) {
    return source.enumValue(KEY, LogFormat.class);
  }

  /**
   * Switches the console appenders of the root logger to this format. Text is what logback.xml
   * configures, so it changes nothing. Called once at start, while only the main thread logs.
   */
  public void apply() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
    while (appenders.hasNext()) {
      if (appenders.next() instanceof ConsoleAppender<ILoggingEvent> console && !(console.getEncoder() instanceof JsonLineEncoder)) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        // Stopping a console appender does not close System.out (its stream ignores close()).
        console.stop();
        console.setEncoder(encoder);
        console.start();
      }
    }
  }
}
