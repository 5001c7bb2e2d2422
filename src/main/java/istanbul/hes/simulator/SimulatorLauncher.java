package istanbul.hes.simulator;

import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;

/**
 * What a simulator command shares: deploying the simulator in a Vert.x of its own, then running
 * until SIGTERM/SIGINT. Command-line output is deliberate here: these are small tools run by hand
 * or by Docker.
 */
public final class SimulatorLauncher {
  private SimulatorLauncher() {}

  /**
   * Deploys the simulator, prints {@code listening} with the port it got, and returns once the
   * process is asked to stop (the simulator's Vert.x closed); 1 at once if it cannot start.
   */
  public static int run(String name, VerticleBase simulator, IntSupplier actualPort, String listening, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(simulator).await();
    } catch (RuntimeException e) {
      err.println(name + " could not start: " + e.getMessage());
      err.flush();
      vertx.close().await();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      stopped.countDown();
    }, "simulator-stop"));
    out.println(name + " listening on port " + actualPort.getAsInt() + " (" + listening + ")");
    out.flush();
    stopped.await();
    return 0;
  }
}
