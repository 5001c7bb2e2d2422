package istanbul.hes.testing;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One environment and one node for a whole test class:
 * {@code @RegisterExtension static final SharedNode shared = new SharedNode();}, then
 * {@code shared.node()} and {@code shared.environment()} in the tests.
 */
public final class SharedNode implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> settings;
  private TestEnvironment environment;
  private TestNode node;

  public SharedNode() {
    this(Map.of());
  }

  /** @param settings configuration keys on top of the test defaults */
  public SharedNode(Map<String, String> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    environment = new TestEnvironment(settings);
    node = environment.startNode();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    environment.close();
  }

  public TestEnvironment environment() {
    return environment;
  }

  public TestNode node() {
    return node;
  }
}
