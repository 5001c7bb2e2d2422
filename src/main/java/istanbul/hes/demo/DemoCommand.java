package istanbul.hes.demo;

/** Placeholder replaced below. */
public final class DemoCommand {
  private DemoCommand() {}

  public interface NodeRunner {
    void run(istanbul.hes.config.GatewayConfig config) throws InterruptedException;
  }

  public static void run(String[] options, NodeRunner runner) throws InterruptedException {
    throw new IllegalStateException("demo not built yet");
  }
}
