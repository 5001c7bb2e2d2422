package istanbul.hes.simulator.sms;

import io.vertx.core.Vertx;

/**
 * Runs the SMS simulator as a process of its own:
 * {@code java -cp hes-gateway.jar istanbul.hes.simulator.sms.SmsSimulatorMain --port 9091}; then
 * point the gateway at it with {@code HES_CITIZEN_SMS_GATEWAY_URL=http://<host>:9091/messages} and
 * read codes with {@code curl '<host>:9091/messages?to=%2B905321234567'}. Stops on SIGTERM / Ctrl+C.
 */
public final class SmsSimulatorMain {
  private SmsSimulatorMain() {}

  public static void main(String[] args) {
    String host = "0.0.0.0";
    int port = 9091;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        usage(0);
      }
      if (i + 1 >= args.length) {
        System.err.println("missing value after " + arg);
        usage(2);
      }
      String value = args[++i];
      switch (arg) {
        case "--host" -> host = value;
        case "--port" -> port = port(value);
        default -> {
          System.err.println("unknown option " + arg);
          usage(2);
        }
      }
    }
    Vertx vertx = Vertx.vertx();
    SmsSimulator simulator = new SmsSimulator(host, port);
    try {
      vertx.deployVerticle(simulator).await();
    } catch (RuntimeException e) {
      System.err.println("the SMS simulator could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "sms-simulator-stop"));
    System.out.println("SMS simulator listening on " + host + ":" + simulator.actualPort()
        + " (POST /messages, GET /messages?to=+90…, DELETE /messages)");
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      System.err.println("--port must be 0..65535, was " + value);
      usage(2);
      return -1;
    }
  }

  private static void usage(int status) {
    System.err.println("usage: SmsSimulatorMain [--host 0.0.0.0] [--port 9091]");
    System.exit(status);
  }
}
