package istanbul.hes.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Logger logger = (Logger) LoggerFactory.getLogger("throttled-log-test");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  ThrottledLogTest() {
    appender.start();
    logger.addAppender(appender);
  }

  @Test
  void oneLinePerKindPerIntervalThenTheCountOfTheOthers() {
    ThrottledLog log = new ThrottledLog(logger, Duration.ofSeconds(10), now::get);

    assertThat(log.warn("a", "first {}", 1)).isTrue();
    for (int i = 0; i < 9_281; i++) {
      assertThat(log.warn("a", "again {}", i)).isFalse();
    }
    assertThat(log.warn("b", "other kind")).isTrue();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(log.warn("a", "later {}", 2)).isTrue();

    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "first 1", "other kind", "later 2 [9281 more like it not logged, at most one line per 10 s]");
    assertThat(appender.list).allMatch(event -> event.getThrowableProxy() == null);
  }
}
