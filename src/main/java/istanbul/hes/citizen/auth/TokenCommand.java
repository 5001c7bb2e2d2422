package istanbul.hes.citizen.auth;

import io.vertx.core.Vertx;
import istanbul.hes.citizen.domain.InvalidInputException;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.cli.BuildVersion;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.PointsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar hes-gateway-kit.jar token --subject TCKN:10000000146 [--data-dir data/demo]
 * [--minutes 15] [--config FILE]}: prints a citizen token signed with the demo's development key
 * pair, standing in for the portal's identity provider. Refused when a real provider's key is set.
 * With {@code --agent ID --point ID} instead of {@code --subject}: a sales-point agent's token,
 * signed with the demo's development staff key pair, standing in for the staff identity provider.
 *
 * <p>Only tokens the node would accept: the subject is parsed by the node's own parser, the
 * lifetime must be within the node's {@code citizen.tokenMaxLifetimeSeconds}, and the key pair
 * must already be in {@code --data-dir} (the demo makes it): a mistyped folder is an error, not a
 * new key pair the node has never seen. Standard output is the token alone, so that
 * {@code TOKEN=$(… token …)} works; what was applied goes to standard error.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
    header = "Prints a citizen (or sales-point agent) token signed with the demo's development key pair.",
    description = "Standard output is the token alone (TOKEN=$(java -jar hes-gateway-kit.jar token --subject …)); the lifetime applied "
        + "goes to standard error. For the demo and development only: refused when citizen.tokenPublicKeyFile names a real "
        + "identity provider's key.")
public final class TokenCommand implements Callable<Integer> {
  private static final String SUBJECT = "--subject";
  private static final String DATA_DIR = "--data-dir";
  private static final String MINUTES = "--minutes";
  private static final String AGENT = "--agent";
  private static final String POINT = "--point";

  @Spec
  CommandSpec spec;

  @Option(names = SUBJECT, paramLabel = "ID",
      description = "Whom the token speaks for: TCKN:<11 digits> or PASSPORT:<NAT>:<number>, as the node parses a token's sub.")
  String subject;

  @Option(names = AGENT, paramLabel = "ID",
      description = "Instead of --subject: a sales-point agent's token for this agent id (with --point), role points.agentRole.")
  String agent;

  @Option(names = POINT, paramLabel = "ID", description = "The agent's sales point (with --agent).")
  String point;

  @Option(names = DATA_DIR, paramLabel = "DIR",
      description = "The demo's data folder, holding secrets/ with the development key pair. Default: ${DEFAULT-VALUE}.")
  Path dataDir = Path.of("data", "demo");

  @Option(names = MINUTES, paramLabel = "M",
      description = "Lifetime in minutes, 1 to citizen.tokenMaxLifetimeSeconds / 60 (60 by default). Default: ${DEFAULT-VALUE}.")
  int minutes = 15;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file over the defaults (else HES_CONFIG).")
  Path configFile;

  @Override
  public Integer call() {
    if ((subject == null) == (agent == null)) {
      throw new ParameterException(spec.commandLine(), "give " + SUBJECT + " (a citizen) or " + AGENT + " with " + POINT
          + " (a sales-point agent)");
    }
    if (agent != null) {
      return agentToken();
    }
    try {
      PersonIdentity.fromKeyName(subject, SUBJECT);
    } catch (InvalidInputException e) {
      // The detail names the option and the expected form, never the value.
      throw new ParameterException(spec.commandLine(), e.detail());
    }
    GatewayConfig config = GatewayConfig.load(Optional.ofNullable(configFile), Map.of("node.dataDir", dataDir.toString()));
    if (config.citizen().tokenPublicKeyFile().isPresent()) {
      throw new ConfigException("token: citizen.tokenPublicKeyFile is set, so tokens come from the real identity provider");
    }
    requireMinutes(config.citizen().tokenMaxLifetimeSeconds(), "citizen.tokenMaxLifetimeSeconds");
    Path secrets = dataDir.resolve("secrets");
    DevelopmentTokenIssuer issuer = DevelopmentTokenIssuer.existingForNode(config).orElseThrow(() -> new ParameterException(spec.commandLine(),
        DATA_DIR + " " + dataDir + " holds no development key pair (" + secrets.resolve(DevelopmentTokenIssuer.PUBLIC_FILE)
            + "); the demo makes it there: give the demo's --data-dir"));
    return print(vertx -> issuer.mint(vertx, subject, config.citizen().tokenIssuer(), config.citizen().tokenAudience(),
        Duration.ofMinutes(minutes)), "valid for " + minutes + " minutes, signed with the development key pair in " + secrets);
  }

  private int agentToken() {
    if (point == null || !PointsConfig.STAFF_ID.matcher(agent).matches() || !PointsConfig.STAFF_ID.matcher(point).matches()) {
      throw new ParameterException(spec.commandLine(), AGENT + " and " + POINT
          + " must both be given, each 1 to 64 characters A-Z, a-z, 0-9, '.', '_' or '-'");
    }
    GatewayConfig config = GatewayConfig.load(Optional.ofNullable(configFile), Map.of("node.dataDir", dataDir.toString()));
    if (config.points().tokenPublicKeyFile().isPresent()) {
      throw new ConfigException("token: points.tokenPublicKeyFile is set, so agents' tokens come from the real staff identity provider");
    }
    requireMinutes(config.points().tokenMaxLifetimeSeconds(), "points.tokenMaxLifetimeSeconds");
    Path secrets = dataDir.resolve("secrets");
    DevelopmentTokenIssuer issuer = DevelopmentTokenIssuer.existingStaff(secrets).orElseThrow(() -> new ParameterException(
        spec.commandLine(), DATA_DIR + " " + dataDir + " holds no development staff key pair ("
            + secrets.resolve(DevelopmentTokenIssuer.STAFF_PUBLIC_FILE) + "); the demo makes it there: give the demo's --data-dir"));
    return print(vertx -> issuer.mintAgent(vertx, agent, point, config.points().agentRole(), config.points().tokenIssuer(),
            config.points().tokenAudience(), Duration.ofMinutes(minutes)),
        "agent " + agent + " at point " + point + ", valid for " + minutes + " minutes, signed with the development staff key pair in "
            + secrets);
  }

  /** --minutes within what the node accepts ({@code key}, in seconds). */
  private void requireMinutes(int maxLifetimeSeconds, String key) {
    int longest = maxLifetimeSeconds / 60;
    if (minutes < 1 || minutes > longest) {
      throw new ParameterException(spec.commandLine(), MINUTES + " must be 1 to " + longest
          + " (the node refuses tokens living longer than " + key + ", " + maxLifetimeSeconds + " s), was " + minutes);
    }
  }

  /** The token alone on standard output (for {@code TOKEN=$(…)}), what was applied on standard error. */
  private int print(Function<Vertx, String> mint, String applied) {
    Vertx vertx = Vertx.vertx();
    try {
      spec.commandLine().getOut().println(mint.apply(vertx));
      spec.commandLine().getOut().flush();
    } finally {
      vertx.close().await();
    }
    spec.commandLine().getErr().println("token: " + applied);
    spec.commandLine().getErr().flush();
    return 0;
  }

  /** Joins the jar's command line as {@code token} (META-INF/services/istanbul.hes.cli.KitCommand). */
  public static final class Kit implements istanbul.hes.cli.KitCommand {
    @Override
    public picocli.CommandLine commandLine() {
      return new picocli.CommandLine(new TokenCommand());
    }
  }
}
