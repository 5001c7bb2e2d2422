package istanbul.hes.loadtest;

/**
 * How a benchmark's {@code main} ends: exit 0 when every request and check passed, 1 when one
 * failed or the run threw. Explicit, because the nodes and pools a benchmark started keep the JVM
 * alive after an exception, and a script must see the failure in its exit status.
 */
final class BenchmarkMain {
  /** A benchmark's body: true when every request and check passed. */
  interface Body {
    boolean run() throws Exception;
  }

  private BenchmarkMain() {}

  static void exit(Body body) {
    int status;
    try {
      status = body.run() ? 0 : 1;
      if (status != 0) {
        System.err.println("FAILED: see the errors above");
      }
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }
}
