package istanbul.hes;

import istanbul.hes.config.ConfigException;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.citizen.auth.TokenCommand;
import istanbul.hes.demo.DemoCommand;
import istanbul.hes.logging.LogFormat;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hes-gateway.jar [node|demo] [--config FILE] [--debug] [demo options]}.
 * {@code node} runs a gateway node; {@code demo} prepares a demo population first; {@code token}
 * mints a citizen token with the development key pair (demo and development only).
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

  public static void main(String[] args) throws Exception {
    String command = args.length > 0 && !args[0].startsWith("--") ? args[0] : "node";
    String[] options = args.length > 0 && !args[0].startsWith("--") ? Arrays.copyOfRange(args, 1, args.length) : args;
    try {
      switch (command) {
        case "node" -> {
          boolean debug = Arrays.asList(options).contains(DEBUG_OPTION);
          ConfigSource source = ConfigSource.forProcess(configFile(options), Map.of());
          LogFormat.from(source).apply();
          runNode(GatewayConfig.from(source), source, debug);
        }
        case "demo" -> DemoCommand.run(options);
        case "token" -> TokenCommand.run(options);
        default -> {
          System.err.println("usage: java -jar hes-gateway.jar [node|demo|token] [--config FILE] [node: --debug] "
              + "[demo: --cards N --data-dir DIR] [token: --subject TCKN:… --data-dir DIR --minutes M]");
          System.exit(2);
        }
      }
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
    }
  }

  static Optional<Path> configFile(String[] options) {
    for (int i = 0; i < options.length - 1; i++) {
      if (options[i].equals("--config")) {
        return Optional.of(Path.of(options[i + 1]));
      }
    }
    return Optional.empty();
  }

  /**
   * Starts a node and keeps it running until SIGTERM/SIGINT, then stops it in order. A start that
   * fails is one line naming the key to look at and where its value came from, then exit 2
   * (configuration) or 1 (environment); the stack trace only with {@code --debug}.
   */
  public static void runNode(GatewayConfig config, ConfigSource source, boolean debug) throws InterruptedException {
    GatewayNode node;
    try {
      node = GatewayNode.start(config).await();
    } catch (Exception e) {
      System.exit(reportStartFailure(e, source, debug));
      return;
    }
    awaitStop(node, config);
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
