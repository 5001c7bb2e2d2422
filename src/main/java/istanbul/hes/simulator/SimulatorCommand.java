package istanbul.hes.simulator;

import istanbul.hes.cli.BuildVersion;
import istanbul.hes.cli.CommandLines;
import istanbul.hes.cli.KitCommand;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeDirectory;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import istanbul.hes.simulator.push.PushSimulator;
import istanbul.hes.simulator.sms.SmsSimulator;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code simulator health|interior|sms|push [--host H] [--port P] …}: runs one simulator as a process
 * of its own until SIGTERM/SIGINT. The ministry simulators want HTTP Basic credentials, from
 * {@code --user}/{@code --password} or from the environment ({@code <PREFIX>_USER},
 * {@code <PREFIX>_PASSWORD}, which keeps the password out of the process list).
 */
@Command(name = "simulator", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, header = "Runs a simulator of an outside service: health, interior, sms or push.",
    synopsisSubcommandLabel = "(health | interior | sms | push)")
public final class SimulatorCommand implements Callable<Integer> {
  public static final String HEALTH_ENVIRONMENT_PREFIX = "HES_SIMULATOR_HEALTH";
  public static final String INTERIOR_ENVIRONMENT_PREFIX = "HES_SIMULATOR_INTERIOR";

  @Spec
  CommandSpec spec;

  /** The {@code simulator} command with its four subcommands. */
  public static CommandLine commandLine() {
    return new CommandLine(new SimulatorCommand())
        .addSubcommand(new Health())
        .addSubcommand(new Interior())
        .addSubcommand(new Sms())
        .addSubcommand(new Push());
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a simulator is required: health, interior, sms or push");
  }

  /**
   * One simulator as the whole command line, named {@code mainName} in its usage: the simulators'
   * own mains ({@code java -cp hes-gateway-kit.jar …SimulatorMain}, as docker/compose.yaml runs them).
   */
  public static int runStandalone(String mainName, Object simulator, String[] args) {
    return CommandLines.configure(new CommandLine(simulator).setCommandName(mainName)).execute(args);
  }

  /** Every name of every option {@code command} takes (compose's arguments are checked against them). */
  public static Set<String> optionNames(Object command) {
    return new CommandLine(command).getCommandSpec().options().stream()
        .flatMap(option -> Arrays.stream(option.names()))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** --host and --port, checked. */
  abstract static class Listener {
    @Spec
    CommandSpec spec;

    /** This command's spec (usage errors of subclasses elsewhere). */
    protected CommandSpec spec() {
      return spec;
    }

    @Option(names = "--host", paramLabel = "HOST", description = "Interface to listen on. Default: ${DEFAULT-VALUE}.")
    String host = "0.0.0.0";

    abstract int port();

    int checkedPort() {
      if (port() < 0 || port() > 65535) {
        throw new ParameterException(spec.commandLine(), "--port must be 0..65535, was " + port());
      }
      return port();
    }
  }

  /** A ministry simulator: HTTP Basic credentials from the options or the environment. */
  abstract static class Credentialed extends Listener {
    @Option(names = "--user", paramLabel = "USER", description = "HTTP Basic user (else <PREFIX>_USER in the environment).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD",
        description = "HTTP Basic password (else <PREFIX>_PASSWORD in the environment, which keeps it out of the process list).")
    String password;

    /** [user, password]; a usage error when either is missing. */
    String[] credentials(String environmentPrefix) {
      String givenUser = user != null ? user : System.getenv().getOrDefault(environmentPrefix + "_USER", "");
      String givenPassword = password != null ? password : System.getenv().getOrDefault(environmentPrefix + "_PASSWORD", "");
      if (givenUser.isEmpty() || givenPassword.isEmpty()) {
        throw new ParameterException(spec.commandLine(),
            "a user and a password are required (--user/--password or " + environmentPrefix + "_USER/_PASSWORD)");
      }
      return new String[] {givenUser, givenPassword};
    }
  }

  @Command(name = "health", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, header = "The Ministry of Health: HES code checks and the risk delta feed.",
      description = "Credentials: --user/--password or " + HEALTH_ENVIRONMENT_PREFIX + "_USER/_PASSWORD.")
  public static class Health extends Credentialed implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE} (0: any free port).")
    int port = 9090;

    @Override
    int port() {
      return port;
    }

    /** The codes this ministry knows besides those registered through its operator endpoints. */
    protected HesCodeDirectory directory() {
      return HesCodeDirectory.NONE;
    }

    @Override
    public Integer call() throws InterruptedException {
      String[] credentials = credentials(HEALTH_ENVIRONMENT_PREFIX);
      HesCodeDirectory directory = directory();
      HealthMinistrySimulator simulator = new HealthMinistrySimulator(host, checkedPort(), credentials[0], credentials[1], directory);
      return SimulatorLauncher.run("Ministry of Health simulator", simulator, simulator::actualPort,
          "POST /check-hes-code, /check-hes-codes; operator endpoints under /simulator", spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(name = "interior", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, header = "The Ministry of Interior: receives violation reports.",
      description = "Credentials: --user/--password or " + INTERIOR_ENVIRONMENT_PREFIX + "_USER/_PASSWORD.")
  public static final class Interior extends Credentialed implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE} (0: any free port).")
    int port = 9191;

    @Override
    int port() {
      return port;
    }

    @Override
    public Integer call() throws InterruptedException {
      String[] credentials = credentials(INTERIOR_ENVIRONMENT_PREFIX);
      InteriorMinistrySimulator simulator = new InteriorMinistrySimulator(host, checkedPort(), credentials[0], credentials[1]);
      return SimulatorLauncher.run("Ministry of Interior simulator", simulator, simulator::actualPort,
          "POST /v1/violations; operator endpoints under /simulator", spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(name = "sms", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, header = "The SMS gateway: keeps the messages sent, to be read back.",
      description = "Point the gateway at it with HES_CITIZEN_SMS_GATEWAY_URL=http://<host>:<port>/messages, "
          + "read codes with curl '<host>:<port>/messages?to=%%2B905321234567'.")
  public static final class Sms extends Listener implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE} (0: any free port).")
    int port = 9091;

    @Override
    int port() {
      return port;
    }

    @Override
    public Integer call() throws InterruptedException {
      SmsSimulator simulator = new SmsSimulator(host, checkedPort());
      return SimulatorLauncher.run("SMS simulator", simulator, simulator::actualPort,
          "POST /messages, GET /messages?to=+90…, GET /messages/counts, DELETE /messages", spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(name = "push", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
      header = "The push gateway (FCM/APNs): keeps the notifications sent, to be read back.",
      description = "Point the gateway at it with HES_CAMPAIGNS_PUSH_GATEWAY_URL=http://<host>:<port>/push, read what it sent with curl '<host>:<port>/push/counts'; "
          + "PUT /simulator/unregistered {\"token\":\"…\"} makes a token answer 410.")
  public static final class Push extends Listener implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE} (0: any free port).")
    int port = 9092;

    @Override
    int port() {
      return port;
    }

    @Override
    public Integer call() throws InterruptedException {
      PushSimulator simulator = new PushSimulator(host, checkedPort());
      return SimulatorLauncher.run("Push gateway simulator", simulator, simulator::actualPort,
          "POST /push, GET /push?token=…, GET /push/counts, DELETE /push; operator endpoints under /simulator",
          spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  /** Joins the jar's command line as {@code simulator} (META-INF/services/istanbul.hes.cli.KitCommand). */
  public static final class Kit implements KitCommand {
    @Override
    public CommandLine commandLine() {
      return SimulatorCommand.commandLine();
    }
  }
}
