package istanbul.hes.simulator.sms;

import istanbul.hes.simulator.SimulatorCommand;

/**
 * Runs the SMS simulator as a process of its own:
 * {@code java -cp hes-gateway-kit.jar istanbul.hes.simulator.sms.SmsSimulatorMain --port 9091}; then
 * point the gateway at it with {@code HES_CITIZEN_SMS_GATEWAY_URL=http://<host>:9091/messages} and
 * read codes with {@code curl '<host>:9091/messages?to=%2B905321234567'}. Stops on SIGTERM / Ctrl+C.
 * The same as {@code java -jar hes-gateway-kit.jar simulator sms …}.
 */
public final class SmsSimulatorMain {
  private SmsSimulatorMain() {}

  public static void main(String[] args) {
    System.exit(SimulatorCommand.runStandalone(SmsSimulatorMain.class.getSimpleName(), new SimulatorCommand.Sms(), args));
  }
}
