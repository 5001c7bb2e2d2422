package istanbul.hes.simulator.push;

import istanbul.hes.simulator.SimulatorCommand;

/**
 * Runs the push gateway simulator as a process of its own:
 * {@code java -cp hes-gateway-kit.jar istanbul.hes.simulator.push.PushSimulatorMain --port 9092}; then
 * point the gateway's push client at {@code http://<host>:9092/push} and read what it sent with
 * {@code curl '<host>:9092/push/counts'}. Stops on SIGTERM / Ctrl+C.
 * The same as {@code java -jar hes-gateway-kit.jar simulator push …}.
 */
public final class PushSimulatorMain {
  private PushSimulatorMain() {}

  public static void main(String[] args) {
    System.exit(SimulatorCommand.runStandalone(PushSimulatorMain.class.getSimpleName(), new SimulatorCommand.Push(), args));
  }
}
