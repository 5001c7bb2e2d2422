package istanbul.hes.demo;

import istanbul.hes.GatewayNode;
import istanbul.hes.Main;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.MapLoad;
import istanbul.hes.cli.BuildVersion;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.demo.DemoPopulation.Profile;
import istanbul.hes.logging.LogFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code java -jar hes-gateway-kit.jar demo [--cards N] [--data-dir DIR] [--config FILE]
 * [--deltas-per-second R]}: a node
 * with a realistic population, from nothing but Java and Maven.
 *
 * <ol>
 *   <li>Configuration: the usual layers (defaults, --config file, environment) with the demo's
 *       own data folder, a validator cluster token and an operator token generated once and kept
 *       there, and the map sized for the population. {@code HES_DATABASE_URL} and friends still
 *       apply: with them the demo uses the external servers.
 *   <li>The embedded PostgreSQL and Redis are started here, not by the node, so the population
 *       can be written before the node starts; the node is handed their URLs.
 *   <li>The population ({@link DemoPopulation}, {@code --cards} cards) is written with binary
 *       COPY unless the database already holds exactly that population; a new population
 *       discards the map file so the node rebuilds it.
 *   <li>The node starts; once its map is loaded the demo prints the ports, the tokens and
 *       ready-made curl commands, then runs until SIGTERM/SIGINT.
 * </ol>
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
    header = "Runs a node with a generated population and prints ready-made commands.",
    description = "Starts an embedded PostgreSQL and Redis under --data-dir (unless HES_DATABASE_URL and friends name servers), "
        + "writes --cards cards, starts the node and the simulators, and runs until SIGTERM/SIGINT.")
public final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  public static final long DEFAULT_CARDS = 1_000_000;
  public static final Path DEFAULT_DATA_DIR = Path.of("data", "demo");
  /** Risk deltas the demo ministry publishes about random demo holders: a little life in the feed. */
  public static final double DEFAULT_DELTAS_PER_SECOND = 0.5;

  /** Cards of each decision class the demo prints. */
  private static final int CARDS_PER_CLASS = 3;

  @Option(names = "--cards", paramLabel = "N", converter = CardCount.class,
      description = "Cards in the demo population, 1.." + DemoPopulation.MAX_CARDS + " (_ and , allowed as separators). Default: ${DEFAULT-VALUE}.")
  long cards = DEFAULT_CARDS;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the demo keeps its servers' data, tokens and keys. Default: ${DEFAULT-VALUE}.")
  Path dataDir = DEFAULT_DATA_DIR;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file over the defaults (else HES_CONFIG).")
  Path configFile;

  @Option(names = "--deltas-per-second", paramLabel = "R", converter = DeltaRate.class,
      description = "Risk deltas per second the demo ministry publishes, 0..100000. Default: ${DEFAULT-VALUE}.")
  double deltasPerSecond = DEFAULT_DELTAS_PER_SECOND;

  /** The options as given. */
  record Options(long cards, Path dataDir, Optional<Path> configFile, double deltasPerSecond) {}

  Options options() {
    return new Options(cards, dataDir, Optional.ofNullable(configFile), deltasPerSecond);
  }

  /** --cards: a whole number in range; the separators people type in large numbers are allowed. */
  static final class CardCount implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long cards;
      try {
        cards = Long.parseLong(value.replace("_", "").replace(",", ""));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be a whole number, was '" + value + "'");
      }
      if (cards < 1 || cards > DemoPopulation.MAX_CARDS) {
        throw new TypeConversionException("must be between 1 and " + DemoPopulation.MAX_CARDS + ", was " + cards);
      }
      return cards;
    }
  }

  /** --deltas-per-second: a number in 0..100000. */
  static final class DeltaRate implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double deltas;
      try {
        deltas = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be a number, was '" + value + "'");
      }
      if (!(deltas >= 0 && deltas <= 100_000)) {
        throw new TypeConversionException("must be between 0 and 100000, was " + value);
      }
      return deltas;
    }
  }

  /**
   * Prepares the population, then runs the node itself (not through Main) so that it can print
   * its instructions once the map is ready, and stop the servers it started after the node.
   * Returns the exit code: 1 when the population could not be prepared, a failed start's code,
   * else 0 once stopped.
   */
  @Override
  public Integer call() throws InterruptedException {
    Options options = options();
    LogFormat.from(ConfigSource.forProcess(options.configFile(), Map.of())).apply();
    PrintStream out = System.out;
    DemoEnvironment environment;
    try {
      environment = DemoEnvironment.prepare(options.cards(), options.dataDir(), options.configFile(), Map.of(), out);
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("the demo could not prepare its population: {}", e.toString(), e);
      return 1;
    }
    GatewayConfig config = environment.config();

    // From here on SIGTERM/SIGINT stops the node (if it started) before the servers under it.
    AtomicReference<GatewayNode> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping the demo");
      GatewayNode node = running.get();
      if (node != null) {
        try {
          node.stop().await(config.node().shutdownGraceSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("the node did not stop in {} s: {}", config.node().shutdownGraceSeconds(), e.toString());
        }
      }
      environment.close();
      stopped.countDown();
    }, "demo-shutdown"));

    MapLoad load;
    try {
      out.println("starting the gateway node; it loads the card map from PostgreSQL first…");
      running.set(GatewayNode.start(config).await());
      load = running.get().mapLoaded().await();
    } catch (Exception e) {
      // The node's own report: one line naming the key (the demo's overrides count as defaults here).
      // The shutdown hook stops the servers the demo started.
      return Main.reportStartFailure(e, ConfigSource.forProcess(options.configFile(), Map.of()), false);
    }
    environment.generateDeltas(options.deltasPerSecond());
    printInstructions(out, running.get(), load, options, environment);
    stopped.await();
    return 0;
  }

  // ---- instructions -------------------------------------------------------------------------

  private static void printInstructions(PrintStream out, GatewayNode node, MapLoad load, Options options, DemoEnvironment environment) {
    int tapPort = node.tapPort();
    int adminPort = node.adminPort();
    String tap = "http://127.0.0.1:" + tapPort;
    String admin = "http://127.0.0.1:" + adminPort;
    String auth = " -H 'Content-Type: application/json' -H 'Authorization: Bearer " + environment.validatorToken() + "'";
    String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    StringBuilder text = new StringBuilder();
    text.append('\n').append("=".repeat(100)).append('\n');
    text.append(String.format("HES gateway demo is ready: %,d cards in the map (%s in %.1f s)%n",
        load.entries(), load.mode(), load.took().toMillis() / 1000.0));
    seedSentence(node, environment).ifPresent(sentence -> text.append("  ").append(sentence).append('\n'));
    text.append(String.format("  tap listener    %s   (validators)%n", tap));
    text.append(String.format("  citizen listener http://127.0.0.1:%d   (portal and app; JWT of the identity provider)%n", node.citizenPort()));
    environment.openPortal(node.citizenPort()).ifPresent(portal -> text.append(String.format(
        "  portal          %s   (open it in a browser: personalize a card, link, view, update and remove a HES code; "
            + "sign in as one of the demo people the development identity provider lists)%n", portal)));
    if (node.config().points().enabled()) {
      text.append(String.format("  points listener http://127.0.0.1:%d   (sales and top-up points' agents; JWT of the staff identity provider)%n",
          node.pointsPort()));
    }
    text.append(String.format("  admin listener  %s   (metrics, health, operator actions)%n", admin));
    text.append(String.format("  validator token %s   (cluster %s, in %s)%n", environment.validatorToken(), DemoEnvironment.CLUSTER_ID, environment.clustersFile()));
    text.append(String.format("  operator token  %s%n", environment.operatorToken().isEmpty() ? "(none: operator actions are off)" : environment.operatorToken()));
    text.append(String.format("  data            %s   (delete it to start over; --cards N changes the population)%n", options.dataDir()));
    appendSimulators(text, environment);
    text.append('\n');
    appendCardsByDecision(text, options.cards());
    List<Long> batch = new ArrayList<>();
    for (Profile profile : List.of(Profile.ALLOW, Profile.HES_RISK, Profile.NOT_PERSONALIZED,
        Profile.NO_HES_CODE, Profile.HES_EXPIRED, Profile.CARD_BLOCKED)) {
      long index = DemoPopulation.find(profile, 0, options.cards());
      if (profile == Profile.NOT_PERSONALIZED && index >= 0) {
        // Not the walk-through's anonymous card (the first one), which the walk-through personalizes.
        index = DemoPopulation.find(profile, index + 1, options.cards());
      }
      if (index < 0) {
        continue;
      }
      long card = DemoPopulation.cardNumber(index);
      batch.add(card);
      if (profile == Profile.ALLOW || profile == Profile.HES_RISK || profile == Profile.NOT_PERSONALIZED) {
        text.append(String.format("# a tap with a card that gets %s %s%n", profile.decision(), profile.reason()));
        text.append("curl -s -X POST ").append(tap).append("/v1/taps").append(auth)
            .append(" -d '").append(tapJson(card, at)).append("'\n");
      }
    }
    text.append("# a batch of taps, one card of each class (concentrators send up to 1000)\n");
    StringBuilder taps = new StringBuilder();
    for (long card : batch) {
      taps.append(taps.length() == 0 ? "" : ",").append(tapJson(card, at));
    }
    text.append("curl -s -X POST ").append(tap).append("/v1/taps/batch").append(auth)
        .append(" -d '{\"taps\":[").append(taps).append("]}'\n");
    text.append("# what the gates' screens say for each answer, in Turkish and English (config/display-messages.yaml)\n");
    text.append("curl -s ").append(tap).append("/v1/display-messages -H 'Authorization: Bearer ").append(environment.validatorToken())
        .append("'\n");
    appendCitizenFlows(text, node, options, environment, tap, auth, at);
    text.append(String.format("# the ministry publishes %s risk deltas/s about random demo holders (--deltas-per-second); the node's ingestion:%n",
        options.deltasPerSecond()));
    text.append("curl -s ").append(admin).append("/admin/v1/deltas -H 'Authorization: Bearer ").append(environment.operatorToken()).append("'\n");
    text.append("# the operators' statistics of this month so far (exact distinct cards per day and month; &format=csv for a spreadsheet):\n");
    text.append("curl -s ").append(admin).append("/admin/v1/statistics -H 'Authorization: Bearer ").append(environment.operatorToken()).append("'\n");
    environment.interiorSimulator().ifPresent(interior -> {
      text.append("# the HES_RISK tap above was recorded and reported to the Ministry of Interior simulator; the outbox and what it received:\n");
      text.append("curl -s ").append(admin).append("/metrics | grep '^gateway_violation' | grep -v _bucket\n");
      text.append("curl -s -u ").append(environment.config().ministryInterior().username()).append(':')
          .append(environment.config().ministryInterior().password()).append(' ').append(interior.baseUrl())
          .append("/simulator/violations/stats\n");
    });
    text.append("# readiness and Prometheus metrics\n");
    text.append("curl -s ").append(admin).append("/health/ready\n");
    text.append("curl -s ").append(admin).append("/metrics | grep '^gateway_'\n");
    text.append("=".repeat(100)).append('\n');
    text.append("Stop with Ctrl+C (SIGTERM): the map file is closed cleanly and the next start is warm.\n");
    out.print(text);
    out.flush();
  }

  /** Where each simulator the demo started listens, and the credentials the node uses with it. */
  /** The seeds' sentence for this population (a full-scale count takes a few seconds at the node's first statistics round). */
  private static Optional<String> seedSentence(GatewayNode node, DemoEnvironment environment) {
    if (environment.operatorToken().isEmpty()) {
      return Optional.empty();
    }
    try {
      return DemoSeedSentence.ask(node.adminPort(), environment.operatorToken(), java.time.Duration.ofSeconds(120));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static void appendSimulators(StringBuilder text, DemoEnvironment environment) {
    environment.healthSimulatorUrl().ifPresent(url -> text.append(String.format(
        "  Ministry of Health simulator   %s   (HTTP Basic %s:%s)%n", url, environment.config().ministryHealth().username(),
        environment.config().ministryHealth().password())));
    environment.interiorSimulator().ifPresent(interior -> text.append(String.format(
        "  Ministry of Interior simulator %s   (HTTP Basic %s:%s)%n", interior.baseUrl(), environment.config().ministryInterior().username(),
        environment.config().ministryInterior().password())));
    environment.smsSimulatorUrl().ifPresent(url -> text.append(String.format(
        "  SMS gateway simulator          %s   (no credentials; GET /messages?to=… shows what was sent)%n", url)));
    environment.pushSimulatorUrl().ifPresent(url -> text.append(String.format(
        "  push gateway simulator         %s   (no credentials; GET …?token=… shows the campaign notices)%n", url)));
  }

  /** A few cards of every decision class of the population, to tap by hand. */
  private static void appendCardsByDecision(StringBuilder text, long cards) {
    text.append("# cards of each class (a tap answers the decision shown)\n");
    for (Profile profile : Profile.values()) {
      List<String> numbers = new ArrayList<>();
      long index = -1;
      while (numbers.size() < CARDS_PER_CLASS && (index = DemoPopulation.find(profile, index + 1, cards)) >= 0) {
        numbers.add(CardNumber.format(DemoPopulation.cardNumber(index)));
      }
      if (!numbers.isEmpty()) {
        text.append(String.format("#   %-5s %-17s %s%n", profile.decision(), profile.reason(), String.join("  ", numbers)));
      }
    }
  }

  /**
   * Curl lines for a citizen: a synthetic demo holder whose card has no HES code links theirs
   * (the ministry simulator knows every demo holder's code), and a new person personalizes an
   * anonymous card with a verification code read back from the SMS simulator. The identities are
   * the demo's generated ones, printed here for the person trying the demo, never logged.
   */
  private static void appendCitizenFlows(StringBuilder text, GatewayNode node, Options options, DemoEnvironment environment,
      String tap, String auth, String at) {
    String citizen = "http://127.0.0.1:" + node.citizenPort();
    String tokenCommand = "java -jar target/hes-gateway-kit.jar token --data-dir " + options.dataDir() + " --subject ";
    long holder = DemoPopulation.find(Profile.NO_HES_CODE, 0, options.cards());
    if (holder >= 0 && environment.healthSimulatorUrl().isPresent()) {
      long card = DemoPopulation.cardNumber(holder);
      String hes = citizen + "/v1/cards/" + CardNumber.format(card) + "/hes-code";
      String bearer = " -H \"Authorization: Bearer $TOKEN\"";
      text.append("# a citizen links the HES code of the synthetic holder of a card denied NO_HES_CODE\n");
      text.append("TOKEN=$(").append(tokenCommand).append(DemoPopulation.identityKey(holder)).append(")\n");
      text.append("curl -s ").append(hes).append(bearer).append("      # 404 NO_HES_CODE\n");
      text.append("curl -s -X POST ").append(hes).append(bearer).append(" -H 'Content-Type: application/json' -d '{\"hesCode\":\"")
          .append(DemoPopulation.hesCode(holder)).append("\"}'      # 201, shown masked\n");
      text.append("curl -s -X POST ").append(tap).append("/v1/taps").append(auth).append(" -d '").append(tapJson(card, at))
          .append("'      # now ALLOW OK\n");
      text.append("curl -s -X DELETE ").append(hes).append(bearer).append(" -w '%{http_code}\\n'      # 204: denied NO_HES_CODE again\n");
    }
    long anonymous = DemoPopulation.find(Profile.NOT_PERSONALIZED, 0, options.cards());
    if (anonymous >= 0 && environment.smsSimulatorUrl().isPresent()) {
      String card = CardNumber.format(DemoPopulation.cardNumber(anonymous));
      String hes = citizen + "/v1/cards/" + card + "/hes-code";
      String headers = " -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'";
      text.append("# a new person (").append(DemoWalkThrough.FIRST_NAME).append(' ').append(DemoWalkThrough.LAST_NAME)
          .append(") personalizes an anonymous card, then links, updates, views and removes their HES code\n");
      text.append("TOKEN=$(").append(tokenCommand).append("TCKN:").append(DemoWalkThrough.TCKN).append(")\n");
      text.append("CHALLENGE=$(curl -s -X POST ").append(citizen).append("/v1/challenges").append(headers)
          .append(" -d '{\"phone\":\"").append(DemoWalkThrough.PHONE).append("\"}' | sed 's/.*\"challengeId\":\"\\([^\"]*\\)\".*/\\1/')\n");
      text.append("CODE=$(curl -s '").append(environment.smsSimulatorUrl().get()).append("/messages?to=")
          .append(DemoWalkThrough.PHONE.replace("+", "%2B")).append("' | grep -o 'code: [0-9]*' | tail -1 | cut -d' ' -f2)      # the code sent by SMS\n");
      text.append("curl -s -X PUT ").append(citizen).append("/v1/cards/").append(card).append("/owner").append(headers)
          .append(" -d '{\"tckn\":\"").append(DemoWalkThrough.TCKN).append("\",\"firstName\":\"").append(DemoWalkThrough.FIRST_NAME)
          .append("\",\"lastName\":\"").append(DemoWalkThrough.LAST_NAME).append("\",\"birthYear\":").append(DemoWalkThrough.BIRTH_YEAR)
          .append(",\"phone\":\"").append(DemoWalkThrough.PHONE).append("\",\"consents\":{\"kvkkNotice\":true,\"hesDataSharing\":true},")
          .append("\"challengeId\":\"'$CHALLENGE'\",\"challengeCode\":\"'$CODE'\"}'      # 200\n");
      text.append("curl -s -X POST ").append(hes).append(headers).append(" -d '{\"hesCode\":\"").append(DemoWalkThrough.FIRST_CODE)
          .append("\"}'      # 201\n");
      text.append("curl -s -X PUT ").append(hes).append(headers).append(" -d '{\"hesCode\":\"").append(DemoWalkThrough.SECOND_CODE)
          .append("\"}'      # 200, replaced\n");
      text.append("curl -s ").append(hes).append(" -H \"Authorization: Bearer $TOKEN\"      # 200, masked\n");
      text.append("curl -s -X DELETE ").append(hes).append(" -H \"Authorization: Bearer $TOKEN\" -w '%{http_code}\\n'      # 204\n");
      if (node.config().points().enabled()) {
        appendPointFlow(text, node, options, environment, card);
      }
    }
  }

  /**
   * Curl lines for an agent at a sales point acting for the person just personalized: a holder
   * check (the code goes to her registered phone; she reads it out), then her HES code through the
   * holder session.
   */
  private static void appendPointFlow(StringBuilder text, GatewayNode node, Options options, DemoEnvironment environment,
      String card) {
    String points = "http://127.0.0.1:" + node.pointsPort() + "/v1/points";
    String agent = " -H \"Authorization: Bearer $AGENT\" -H 'Content-Type: application/json'";
    String session = agent + " -H \"Holder-Session: $SESSION\"";
    text.append("# an agent at a sales point acts for her, present at the counter: a code to her registered phone, read out\n");
    text.append("AGENT=$(java -jar target/hes-gateway-kit.jar token --data-dir ").append(options.dataDir())
        .append(" --agent ").append(DemoWalkThrough.AGENT).append(" --point ").append(DemoWalkThrough.POINT).append(")\n");
    text.append("CHECK=$(curl -s -X POST ").append(points).append("/holder-checks").append(agent)
        .append(" -d '{\"card\":\"").append(card).append("\",\"identity\":{\"tckn\":\"").append(DemoWalkThrough.TCKN)
        .append("\"}}' | sed 's/.*\"checkId\":\"\\([^\"]*\\)\".*/\\1/')      # 201, phoneHint +90 5** *** ** 67\n");
    text.append("CODE=$(curl -s '").append(environment.smsSimulatorUrl().get()).append("/messages?to=")
        .append(DemoWalkThrough.PHONE.replace("+", "%2B")).append("' | grep -o 'code: [0-9]*' | tail -1 | cut -d' ' -f2)\n");
    text.append("SESSION=$(curl -s -X POST ").append(points).append("/holder-checks/$CHECK/confirm").append(agent)
        .append(" -d '{\"code\":\"'$CODE'\"}' | sed 's/.*\"holderSession\":\"\\([^\"]*\\)\".*/\\1/')\n");
    text.append("curl -s -X POST ").append(points).append("/cards/").append(card).append("/hes-code").append(session)
        .append(" -d '{\"hesCode\":\"").append(DemoWalkThrough.FIRST_CODE).append("\"}'      # 201, as on the citizen path\n");
    text.append("curl -s ").append(points).append("/cards/").append(card).append("/hes-code").append(session)
        .append("      # 200, masked\n");
  }


  private static String tapJson(long card, String at) {
    return "{\"card\":\"" + CardNumber.format(card) + "\",\"validator\":\"DEMO-GATE-01\",\"at\":\"" + at + "\"}";
  }

  /** Joins the jar's command line as {@code demo} (META-INF/services/istanbul.hes.cli.KitCommand). */
  public static final class Kit implements istanbul.hes.cli.KitCommand {
    @Override
    public picocli.CommandLine commandLine() {
      return new picocli.CommandLine(new DemoCommand());
    }
  }
}
