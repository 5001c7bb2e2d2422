package istanbul.hes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A gateway node run as a process of its own from the shaded jar, configured like the
 * environment's in-JVM nodes: what crash and shutdown tests need, since only a process can be
 * killed with SIGKILL or stopped with SIGTERM.
 */
public final class NodeProcess {
  // Found in a text line and in a JSON line's message alike (logging.format).
  private static final Pattern LISTENING = Pattern.compile("taps on (\\d+), citizens on (\\d+), sales points on ([^,]+), admin on (\\d+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path log;
  private int tapPort = -1;
  private int citizenPort = -1;
  private int adminPort = -1;
  /** -1 when the node's sales points listener is off. */
  private int pointsPort = -1;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts a node and waits until it listens (its map may still be loading). */
  public static NodeProcess start(TestEnvironment environment, String name) throws IOException {
    return start(environment, name, Map.of());
  }

  /** As {@link #start(TestEnvironment, String)}, with extra settings as environment variables ({@code HES_…}). */
  public static NodeProcess start(TestEnvironment environment, String name, Map<String, String> extraEnvironment) throws IOException {
    Path log = environment.dataDirectory().resolve("node-" + name + ".log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // C1 only: a crash test starts a node JVM up to twenty times, and on two cores the C2
        // compiler's work at each start is what those starts wait for (DeltaCrashIT 111 s -> 81 s).
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dchronicle.analytics.disable=true", "-jar", System.getProperty("hes.gateway.jar", "target/hes-gateway.jar"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment.nodeEnvironment());
    builder.environment().putAll(extraEnvironment);
    NodeProcess node = new NodeProcess(builder.start(), log);
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> node.readPorts() || !node.alive());
    assertThat(node.alive()).as("node %s started (log %s)", name, log).isTrue();
    return node;
  }

  private boolean readPorts() throws IOException {
    Matcher matcher = LISTENING.matcher(Files.readString(log));
    if (!matcher.find()) {
      return false;
    }
    tapPort = Integer.parseInt(matcher.group(1));
    citizenPort = Integer.parseInt(matcher.group(2));
    pointsPort = matcher.group(3).matches("\\d+") ? Integer.parseInt(matcher.group(3)) : -1;
    adminPort = Integer.parseInt(matcher.group(4));
    return true;
  }

  /** Waits until readiness answers 200 (the map is loaded). */
  public NodeProcess awaitReady() {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    return this;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public int tapPort() {
    return tapPort;
  }

  public int citizenPort() {
    return citizenPort;
  }

  public int pointsPort() {
    return pointsPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public Path log() {
    return log;
  }

  public String logText() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown hook, no clean close of the map file, nothing flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** SIGTERM, and the exit code once the process is gone (forcibly after 30 s). */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /** SIGTERM without waiting: the caller watches what the node does while it stops. */
  public void signalStop() {
    process.destroy();
  }

  /** Waits for the process to end (after {@link #signalStop}); its exit code. */
  public int awaitExit(Duration bound) throws InterruptedException {
    assertThat(process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)).as("node stopped within %s", bound).isTrue();
    return process.exitValue();
  }
}
