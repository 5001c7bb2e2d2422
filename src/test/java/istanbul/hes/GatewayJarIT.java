package istanbul.hes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The two artifacts of the build, as operators and newcomers get them: the gateway's jar holds no
 * simulator, demo, development token or embedded-server class and none of their binaries, and its
 * command line has no kit command; the kit's jar has them all.
 */
class GatewayJarIT {
  private static final Path GATEWAY = Path.of(System.getProperty("hes.gateway.jar", "target/hes-gateway.jar"));
  private static final Path KIT = GATEWAY.resolveSibling("hes-gateway-kit.jar");
  /** What belongs to the kit only, as paths inside a jar. */
  private static final List<String> KIT_ONLY = List.of("istanbul/hes/simulator/", "istanbul/hes/demo/", "istanbul/hes/embedded/",
      "istanbul/hes/citizen/auth/DevelopmentTokenIssuer", "istanbul/hes/citizen/auth/TokenCommand", "istanbul/hes/identity/DevelopmentKeys",
      "META-INF/services/istanbul.hes.cli.KitCommand", "io/zonky/", "redis/embedded/", "redis/clients/");

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
    }
  }

  private static boolean kitOnly(String entry) {
    return KIT_ONLY.stream().anyMatch(entry::startsWith) || entry.endsWith(".txz") || entry.contains("redis-server");
  }

  @Test
  void theGatewaysJarHoldsNothingOfTheKitAndIsUnderThirtyMegabytes() throws IOException {
    List<String> gateway = entries(GATEWAY);
    assertThat(gateway).contains("istanbul/hes/Main.class", "istanbul/hes/tap/TapVerticle.class");
    assertThat(gateway.stream().filter(GatewayJarIT::kitOnly).toList()).isEmpty();
    assertThat(Files.size(GATEWAY)).as("bytes").isLessThan(30_000_000L);

    List<String> kit = entries(KIT);
    assertThat(kit).contains("istanbul/hes/demo/DemoCommand.class", "istanbul/hes/simulator/SimulatorCommand.class",
        "istanbul/hes/embedded/EmbeddedServers.class", "istanbul/hes/citizen/auth/TokenCommand.class",
        "META-INF/services/istanbul.hes.cli.KitCommand");
    assertThat(kit.stream().filter(entry -> entry.endsWith(".txz")).count()).isPositive();
  }

  @Test
  void theGatewaysCommandLineHasNoKitCommandAndTheKitsHasThemAll() throws Exception {
    String gatewayHelp = run(GATEWAY, "--help");
    assertThat(gatewayHelp).contains("node", "version").doesNotContain("demo ", "token ", "simulator");
    assertThat(run(KIT, "--help")).contains("node", "version", "demo", "token", "simulator", "demo-health");
  }

  private static String run(Path jar, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dchronicle.analytics.disable=true", "-jar", jar.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
