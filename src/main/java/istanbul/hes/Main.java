package istanbul.hes;

import istanbul.hes.cli.BuildVersion;
import istanbul.hes.cli.CommandLines;
import istanbul.hes.cli.KitCommand;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.logging.LogFormat;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code java -jar hes-gateway.jar COMMAND [OPTIONS]}: {@code node} runs a gateway node (also what
 * the jar does without arguments: the operators' images run it so); {@code demo} prepares a demo
 * population first; {@code token} mints a citizen token with the demo's development key pair;
 * {@code simulator health|interior|sms} runs a simulator; {@code version} prints the build's
 * version. Every command takes {@code --help}, which prints its usage, exits 0 and starts nothing.
 * An unknown command or option, or a bad value, is one error line and the usage on stderr, exit 2.
 *
 * <p>{@link #main} is the only {@code System.exit}: commands return their exit code, and the
 * tests run {@link #commandLine()} in-process.
 */
public final class Main {
  static {
    // Before any Chronicle class loads. The analytics module is not even on the class path
    // (excluded in the build); this keeps it off should a future dependency bring it back.
    System.setProperty("chronicle.analytics.disable", "true");
    System.setProperty("chronicle.announcer.disable", "true");
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final String DEBUG_OPTION = "--debug";

  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args.length == 0 ? new String[] {"node"} : args));
  }

  /**
   * The whole command line. A {@link ConfigException} from a command is one line,
   * "configuration error: …", and exit 2 (as a node's start-up failure of that kind).
   */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new Gateway())
        .addSubcommand(new NodeCommand())
        .addSubcommand(new VersionCommand())
        .addSubcommand(new istanbul.hes.cli.CampaignCommand())
        .addSubcommand(new CommandLine.HelpCommand());
    // The kit's commands (demo, token, simulators) join when the kit is on the class path; the gateway names none of them.
    ServiceLoader.load(KitCommand.class).forEach(kit -> line.addSubcommand(kit.commandLine()));
    return CommandLines.configure(line).setExecutionExceptionHandler((exception, command, parsed) -> {
      if (exception instanceof ConfigException) {
        command.getErr().println("configuration error: " + exception.getMessage());
        command.getErr().flush();
        return 2;
      }
      throw exception;
    });
  }

  /** The top level: its options are --help and --version; a command is required. */
  @Command(name = "hes-gateway", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
      usageHelpAutoWidth = true, sortOptions = false,
      header = "HES gateway: the card-tap decision service for Istanbul transit cards.",
      footer = {"", "Without arguments the jar runs `node`. `COMMAND --help` shows a command's options.",
          "Exit codes: 0 done, 1 an environment failure, 2 a usage or configuration error."})
  static final class Gateway implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "a command is required");
    }
  }

  /** {@code node [--config FILE] [--debug]}: runs a gateway node until SIGTERM/SIGINT. */
  @Command(name = "node", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, header = "Runs a gateway node until SIGTERM/SIGINT.",
      description = {"Reads config/gateway.yaml's defaults, then --config FILE (or HES_CONFIG), then HES_* environment variables. "
          + "A start that fails is one line naming the key, then exit 2 (configuration) or 1 (environment). "
          + "The jar without arguments runs this command."})
  static final class NodeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file over the defaults (else HES_CONFIG).")
    Path configFile;

    @Option(names = DEBUG_OPTION, description = "Log the stack trace of a failed start.")
    boolean debug;

    @Override
    public Integer call() throws InterruptedException {
      ConfigSource source = ConfigSource.forProcess(Optional.ofNullable(configFile), Map.of());
      LogFormat.from(source).apply();
      return runNode(GatewayConfig.from(source), source, debug);
    }
  }

  /** {@code version}: what {@code --version} prints. */
  @Command(name = "version", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, header = "Prints the build's version.")
  static final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(BuildVersion.text());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /**
   * Starts a node and keeps it running until SIGTERM/SIGINT, then stops it in order. A start that
   * fails is one line naming the key to look at and where its value came from, then exit 2
   * (configuration) or 1 (environment); the stack trace only with {@code --debug}. Returns the
   * exit code: that of a failed start, else 0 once stopped.
   */
  public static int runNode(GatewayConfig config, ConfigSource source, boolean debug) throws InterruptedException {
    GatewayNode node;
    try {
      node = GatewayNode.start(config).await();
    } catch (Exception e) {
      return reportStartFailure(e, source, debug);
    }
    awaitStop(node, config);
    return 0;
  }

  /** Logs why the node did not start, in one line; the process's exit code. */
  public static int reportStartFailure(Throwable failure, ConfigSource source, boolean debug) {
    Throwable shown = debug ? failure : null;
    if (failure instanceof StartupFailure startup) {
      LOG.error("the node did not start: {} ({}): {}", startup.key(), where(source, startup.key()), startup.problem(), shown);
      return startup.kind().exitCode();
    }
    if (failure instanceof ConfigException config) {
      LOG.error("the node did not start: {}", config.getMessage(), shown);
      return 2;
    }
    LOG.error("the node did not start: {}{}", StartupFailure.causeText(failure), debug ? "" : " (" + DEBUG_OPTION + " shows the stack trace)",
        shown);
    return 1;
  }

  private static String where(ConfigSource source, String key) {
    String origin = source.origin(key);
    return origin.equals("default")
        ? "the default; set " + ConfigSource.environmentName(key) + " or the configuration file"
        : "from " + origin;
  }

  private static void awaitStop(GatewayNode node, GatewayConfig config) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      try {
        node.stop().await(config.node().shutdownGraceSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("the node did not stop in {} s: {}", config.node().shutdownGraceSeconds(), e.toString());
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
