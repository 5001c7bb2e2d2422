package istanbul.hes.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard every test runs under must really catch a blocked event loop. */
class TestGuardsTest {
  @Test
  void aBlockedEventLoopIsCaughtAndFailsTheTest() {
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    int mark = LogCapture.blockedWarningCount();
    try {
      Promise<Void> hogged = Promise.promise();
      // Hog the event loop, without sleeping, until Vert.x reports it (or 10 s pass).
      vertx.runOnContext(nothing -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LogCapture.blockedWarningCount() == mark && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        hogged.complete();
      });
      Await.result(hogged.future());

      assertThatThrownBy(() -> TestGuards.check(mark)).isInstanceOf(AssertionError.class).hasMessageContaining("blocked");
    } finally {
      // Closed first (its checker may still be logging), then the provoked warnings are taken
      // back so that the guard does not fail this test for them.
      Await.result(vertx.close());
      List<String> taken = LogCapture.takeBlockedWarningsSince(mark);
      assertThat(taken).isNotEmpty().allMatch(line -> line.contains("has been blocked"));
    }
  }
}
