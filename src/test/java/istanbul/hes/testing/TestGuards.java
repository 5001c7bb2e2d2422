package istanbul.hes.testing;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class by auto-detection (META-INF/services): a Vert.x blocked-thread
 * warning logged during a test, or during a class's set-up and tear-down, fails it; so does a
 * generated personal value (identity number, HES code, phone, registered with {@link Pii}) in any
 * log line captured so far in the whole run.
 */
public final class TestGuards implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestGuards.class);
  private static final String MARK = "blocked-thread-mark";

  @Override
  public void beforeAll(ExtensionContext context) {
    mark(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    mark(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getStore(NAMESPACE).get(MARK, Integer.class));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getStore(NAMESPACE).get(MARK, Integer.class));
    List<String> leaked = Pii.leakedLines();
    if (!leaked.isEmpty()) {
      fail("%d log line(s) contain a generated personal value (identity number, HES code or phone), e.g.:%n%s", leaked.size(), leaked.get(0));
    }
  }

  private static void mark(ExtensionContext context) {
    context.getStore(NAMESPACE).put(MARK, LogCapture.blockedWarningCount());
  }

  /** Fails when a blocked-thread warning was logged after {@code mark}. */
  public static void check(Integer mark) {
    List<String> warnings = LogCapture.blockedWarningsSince(mark == null ? 0 : mark);
    if (!warnings.isEmpty()) {
      fail("Vert.x reported %d blocked thread(s), e.g.:%n%s", warnings.size(), warnings.get(0));
    }
  }
}
