package istanbul.hes.simulator.sms;

import istanbul.hes.simulator.SimulatorLauncher;
import java.util.Map;
import java.util.Set;

/**
 * Runs the SMS simulator as a process of its own:
 * {@code java -cp hes-gateway.jar istanbul.hes.simulator.sms.SmsSimulatorMain --port 9091}; then
 * point the gateway at it with {@code HES_CITIZEN_SMS_GATEWAY_URL=http://<host>:9091/messages} and
 * read codes with {@code curl '<host>:9091/messages?to=%2B905321234567'}. Stops on SIGTERM / Ctrl+C.
 */
public final class SmsSimulatorMain {
  private SmsSimulatorMain() {}

  public static void main(String[] args) {
    SimulatorLauncher launcher = new SimulatorLauncher("SmsSimulatorMain [--host 0.0.0.0] [--port 9091]");
    Map<String, String> options = launcher.options(args, Set.of("--host", "--port"));
    SmsSimulator simulator = new SmsSimulator(options.getOrDefault("--host", "0.0.0.0"),
        launcher.port(options.getOrDefault("--port", "9091")));
    launcher.start("SMS simulator", simulator, simulator::actualPort, "POST /messages, GET /messages?to=+90…, DELETE /messages");
  }
}
