package istanbul.hes;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import istanbul.hes.auth.TokenKeys;
import istanbul.hes.citizen.auth.CitizenTokenVerifier;
import istanbul.hes.citizen.auth.DevelopmentTokenIssuer;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.testing.Await;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jar's command line, in process ({@link Main#commandLine()}, which {@code main} runs and
 * exits with): help that starts nothing, errors with usage and exit 2, the version, and a token
 * command that only makes tokens the node accepts.
 */
class CommandLineTest {
  private static final String VALID_TCKN = "TCKN:10000000146";

  @TempDir
  static Path temp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // Out and err are set on the whole hierarchy at the time of the call: after the subcommands.
    var line = Main.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  // ---- --help starts nothing ------------------------------------------------------------------

  static Stream<Arguments> helpOfEveryCommand() throws IOException {
    Path nodeData = temp.resolve("node-data");
    // The node's data folder comes from its configuration: a file that points it here.
    Path config = Files.writeString(temp.resolve("node.yaml"), "node:\n  dataDir: " + nodeData + "\n");
    Path demoData = temp.resolve("demo-data");
    Path tokenData = temp.resolve("token-data");
    return Stream.of(
        Arguments.of(List.of("--help"), "Usage: hes-gateway [-hV] [COMMAND]", null),
        Arguments.of(List.of("-h"), "Usage: hes-gateway [-hV] [COMMAND]", null),
        Arguments.of(List.of("help"), "Usage: hes-gateway [-hV] [COMMAND]", null),
        Arguments.of(List.of("node", "--config", config.toString(), "--help"), "Usage: hes-gateway node", nodeData),
        Arguments.of(List.of("help", "node"), "Usage: hes-gateway node", null),
        Arguments.of(List.of("demo", "--data-dir", demoData.toString(), "--cards", "10", "--help"), "Usage: hes-gateway demo", demoData),
        Arguments.of(List.of("demo", "-h", "--data-dir", demoData.toString()), "Usage: hes-gateway demo", demoData),
        Arguments.of(List.of("token", "--data-dir", tokenData.toString(), "--subject", VALID_TCKN, "--help"), "Usage: hes-gateway token",
            tokenData),
        Arguments.of(List.of("simulator", "--help"), "Usage: hes-gateway simulator", null),
        Arguments.of(List.of("simulator", "health", "--port", "0", "--user", "u", "--password", "p", "--help"),
            "Usage: hes-gateway simulator health", null),
        Arguments.of(List.of("simulator", "interior", "--port", "0", "--user", "u", "--password", "p", "--help"),
            "Usage: hes-gateway simulator interior", null),
        Arguments.of(List.of("simulator", "sms", "--port", "0", "--help"), "Usage: hes-gateway simulator sms", null),
        Arguments.of(List.of("version", "--help"), "Usage: hes-gateway version", null));
  }

  @ParameterizedTest
  @MethodSource("helpOfEveryCommand")
  void helpOfEveryCommandExitsZeroAndStartsNothing(List<String> args, String usage, Path dataDir) throws IOException {
    Set<String> listeningBefore = listeningSockets();
    long childrenBefore = ProcessHandle.current().children().count();

    Run run = run(args.toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains(usage).contains("-h, --help");
    assertThat(run.err()).isEmpty();
    if (dataDir != null) {
      assertThat(dataDir).as("the data folder the command would use").doesNotExist();
    }
    // No listener opened (a node, a simulator) and no process started (the demo's PostgreSQL, Redis).
    Set<String> opened = new HashSet<>(listeningSockets());
    opened.removeAll(listeningBefore);
    assertThat(opened).as("sockets this process listens on").isEmpty();
    assertThat(ProcessHandle.current().children().count()).isEqualTo(childrenBefore);
  }

  @Test
  void theListenerCheckSeesAPortThisProcessOpens() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux /proc");
    Set<String> before = listeningSockets();
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(listeningSockets()).hasSize(before.size() + 1);
    }
  }

  @Test
  void everyCommandIsListedInTheTopLevelHelp() {
    assertThat(run("--help").out()).contains("node", "demo", "token", "simulator", "version");
    assertThat(run("simulator", "--help").out()).contains("health", "interior", "sms");
  }

  // ---- errors ---------------------------------------------------------------------------------

  @Test
  void anUnknownCommandIsAnErrorWithTheUsage() {
    Run run = run("frobnicate");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("'frobnicate'").contains("Usage: hes-gateway [-hV] [COMMAND]");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnknownOptionIsAnErrorWithTheCommandsUsage() {
    for (List<String> args : List.of(List.of("node", "--bogus"), List.of("demo", "--card", "10"),
        List.of("token", "--subject", VALID_TCKN, "--bogus", "1"), List.of("simulator", "sms", "--bogus"), List.of("version", "--bogus"))) {
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exit()).as("%s", args).isEqualTo(2);
      assertThat(run.err()).as("%s", args).contains("Unknown option").contains("Usage: hes-gateway " + args.get(0));
    }
    // Options before any command are not the node's: the jar runs node only without any argument.
    Run topLevel = run("--config", "gateway.yaml");
    assertThat(topLevel.exit()).isEqualTo(2);
    assertThat(topLevel.err()).contains("Unknown options: '--config'").contains("Options follow the command: hes-gateway node --config gateway.yaml");
  }

  @Test
  void aMissingOrBadValueIsAnErrorNamingTheOption() {
    Run missing = run("demo", "--cards");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--cards");
    Run outOfRange = run("demo", "--cards", "0");
    assertThat(outOfRange.exit()).isEqualTo(2);
    assertThat(outOfRange.err()).contains("'--cards'").contains("between 1 and");
    Run port = run("simulator", "sms", "--port", "70000");
    assertThat(port.exit()).isEqualTo(2);
    assertThat(port.err()).contains("--port must be 0..65535");
    Run simulator = run("simulator");
    assertThat(simulator.exit()).isEqualTo(2);
    assertThat(simulator.err()).contains("health, interior, sms or push");
  }

  // ---- version --------------------------------------------------------------------------------

  @Test
  void versionPrintsThePomsVersion() throws IOException {
    Matcher pom = Pattern.compile("<artifactId>hes-gateway</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(pom.find()).isTrue();
    String expected = "hes-gateway " + pom.group(1);
    for (String[] args : new String[][] {{"version"}, {"--version"}, {"-V"}, {"token", "--version"}}) {
      Run run = run(args);
      assertThat(run.exit()).isZero();
      assertThat(run.out().strip()).isEqualTo(expected);
    }
  }

  // ---- demo options ---------------------------------------------------------------------------

  @Test
  void theDemoTakesTheREADMEsOptions() {
    var demo = new istanbul.hes.demo.DemoCommand();
    new picocli.CommandLine(demo).parseArgs("--cards", "34_260_087", "--data-dir", "x/demo", "--config", "c.yaml",
        "--deltas-per-second", "2.5");
    assertThat(demo).extracting("cards", "dataDir", "configFile", "deltasPerSecond")
        .containsExactly(34_260_087L, Path.of("x/demo"), Path.of("c.yaml"), 2.5);
    var defaults = new istanbul.hes.demo.DemoCommand();
    new picocli.CommandLine(defaults).parseArgs();
    assertThat(defaults).extracting("cards", "dataDir").containsExactly(1_000_000L, Path.of("data", "demo"));
  }

  // ---- token ----------------------------------------------------------------------------------

  @Test
  void tokenRefusesASubjectTheNodeWouldNotAccept() throws IOException {
    Path data = withKeyPair("subjects");
    for (String subject : List.of("TCKN:abc", "TCKN:10000000147", "tckn:10000000146", "PASSPORT:tur:U123", "NAME:someone")) {
      Run run = run("token", "--data-dir", data.toString(), "--subject", subject);
      assertThat(run.exit()).as(subject).isEqualTo(2);
      assertThat(run.out()).as(subject).isEmpty();
      assertThat(run.err()).as(subject).startsWith("--subject ").doesNotContain(subject);
    }
  }

  @Test
  void tokenSignsAValidSubjectForTheLifetimeItSaysAndTheNodeAcceptsIt() throws IOException {
    Path data = withKeyPair("valid");
    for (String subject : List.of(VALID_TCKN, "PASSPORT:DEU:C01X00T47")) {
      Run run = run("token", "--data-dir", data.toString(), "--subject", subject, "--minutes", "60");
      assertThat(run.exit()).as(run.err()).isZero();
      String token = run.out().strip();
      assertThat(run.out()).as("stdout is the token alone").isEqualTo(token + System.lineSeparator());
      assertThat(run.err()).contains("valid for 60 minutes").doesNotContain(subject);
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
      assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(3600);

      // What the node does with it: the public key of the pair as the identity provider's.
      GatewayConfig config = GatewayConfig.from(ConfigSource.load(Optional.empty(), Map.of("node.dataDir", data.toString(),
          "citizen.tokenPublicKeyFile", data.resolve("secrets").resolve(DevelopmentTokenIssuer.PUBLIC_FILE).toString()), Map.of()));
      Vertx vertx = Vertx.vertx();
      try {
        CitizenTokenVerifier verifier = CitizenTokenVerifier.create(vertx, TokenKeys.citizen(config));
        assertThat(Await.result(verifier.verify("Bearer " + token)).subject()).isEqualTo(subject);
      } finally {
        Await.result(vertx.close());
      }
    }
    Run byDefault = run("token", "--data-dir", data.toString(), "--subject", VALID_TCKN);
    assertThat(byDefault.exit()).isZero();
    assertThat(byDefault.err()).contains("valid for 15 minutes");
  }

  @Test
  void tokenRefusesAFolderWithoutTheKeyPairAndMakesNone() {
    Path mistyped = temp.resolve("data/dmeo");
    Run run = run("token", "--data-dir", mistyped.toString(), "--subject", VALID_TCKN);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("--data-dir " + mistyped + " holds no development key pair");
    assertThat(mistyped).doesNotExist();
  }

  @Test
  void tokenMinutesOutsideTheNodesLimitAreAnErrorNamingIt() throws IOException {
    Path data = withKeyPair("minutes");
    for (String minutes : List.of("0", "61", "-5", "1000")) {
      Run run = run("token", "--data-dir", data.toString(), "--subject", VALID_TCKN, "--minutes", minutes);
      assertThat(run.exit()).as(minutes).isEqualTo(2);
      assertThat(run.out()).as(minutes).isEmpty();
      assertThat(run.err()).as(minutes).startsWith("--minutes must be 1 to 60").contains("citizen.tokenMaxLifetimeSeconds");
    }
    assertThat(run("token", "--data-dir", data.toString(), "--subject", VALID_TCKN, "--minutes", "1").exit()).isZero();
  }

  /** A data folder holding the development key pair, as the demo leaves it. */
  private static Path withKeyPair(String name) throws IOException {
    Path data = temp.resolve(name);
    DevelopmentTokenIssuer.ensure(data.resolve("secrets"));
    return data;
  }

  /** Inodes of the TCP sockets this process listens on (Linux; empty elsewhere). */
  private static Set<String> listeningSockets() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return Set.of();
    }
    Set<String> own = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
      for (Path fd : entries) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            own.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed while listing: not a listener
        }
      }
    }
    Set<String> listening = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> lines = new ArrayList<>(Files.readAllLines(file));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        // st 0A is LISTEN; field 9 the inode.
        if (fields.length > 9 && fields[3].equals("0A") && own.contains(fields[9])) {
          listening.add(fields[9]);
        }
      }
    }
    return listening;
  }
}
