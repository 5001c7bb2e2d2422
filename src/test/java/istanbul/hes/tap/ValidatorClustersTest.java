package istanbul.hes.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ValidatorClustersTest {
  private static final String TOKEN_A = "aaaaaaaaaaaaaaaaaaaaaaaa-station";
  private static final String TOKEN_B = "bbbbbbbbbbbbbbbbbbbbbbbb-depot";

  private static String yaml(String... idAndToken) {
    StringBuilder text = new StringBuilder("clusters:\n");
    for (int i = 0; i < idAndToken.length; i += 2) {
      text.append("  - id: \"").append(idAndToken[i]).append("\"\n    token: \"").append(idAndToken[i + 1]).append("\"\n");
    }
    return text.toString();
  }

  private static Map<String, String> parse(String text) {
    return ValidatorClusters.parse(Buffer.buffer(text));
  }

  @Test
  void clustersAreKeyedByTheirBearerHeader() {
    assertThat(parse(yaml("M2-TAKSIM", TOKEN_A, "IETT.DEPOT:4", TOKEN_B)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("Bearer " + TOKEN_A, "M2-TAKSIM", "Bearer " + TOKEN_B, "IETT.DEPOT:4"));
  }

  @Test
  void certificateFingerprintsMapToTheirClusterInBase64OrHex() {
    byte[] digest = new byte[32];
    for (int i = 0; i < digest.length; i++) {
      digest[i] = (byte) (i * 7 + 1);
    }
    String base64 = java.util.Base64.getEncoder().encodeToString(digest);
    String other = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    String hex = java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(new byte[32]);
    ValidatorClusters.Credentials credentials = ValidatorClusters.parseCredentials(Buffer.buffer("clusters:\n"
        + "  - id: M2-TAKSIM\n    certificates: [\"" + base64 + "\"]\n"
        + "  - id: IETT.DEPOT:4\n    token: \"" + TOKEN_B + "\"\n    certificates: [\"" + hex + "\"]\n"));

    assertThat(credentials.byFingerprint()).containsExactlyInAnyOrderEntriesOf(Map.of(base64, "M2-TAKSIM", other, "IETT.DEPOT:4"));
    assertThat(credentials.byHeader()).containsExactlyInAnyOrderEntriesOf(Map.of("Bearer " + TOKEN_B, "IETT.DEPOT:4"));
  }

  @Test
  void aClusterNeedsATokenOrACertificateAndFingerprintsMustBeSha256() {
    assertThatThrownBy(() -> parse("clusters:\n  - id: M2-TAKSIM\n    certificates: []\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("token");
    assertThatThrownBy(() -> parse("clusters:\n  - id: M2-TAKSIM\n    certificates: [\"abcd\"]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("certificates[0]");
    String fingerprint = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> parse("clusters:\n  - id: A\n    certificates: [\"" + fingerprint + "\"]\n"
        + "  - id: B\n    certificates: [\"" + fingerprint + "\"]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("listed twice");
  }

  @Test
  void anEmptyListIsAllowed() {
    assertThat(parse("clusters: []\n")).isEmpty();
  }

  @Test
  void aTokenShorterThan24CharactersIsRefused() {
    assertThatThrownBy(() -> parse(yaml("M2-TAKSIM", "x".repeat(23))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("M2-TAKSIM").hasMessageContaining("24")
        .hasMessageNotContaining("x".repeat(23));
  }

  @Test
  void aTokenWithSpacesOrControlCharactersIsRefused() {
    assertThatThrownBy(() -> parse(yaml("M2-TAKSIM", "aaaaaaaaaaaa bbbbbbbbbbbbbbb"))).isInstanceOf(ConfigException.class);
  }

  @Test
  void aDuplicateIdIsRefused() {
    assertThatThrownBy(() -> parse(yaml("M2-TAKSIM", TOKEN_A, "M2-TAKSIM", TOKEN_B)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("M2-TAKSIM appears twice");
  }

  @Test
  void aDuplicateTokenIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> parse(yaml("M2-TAKSIM", TOKEN_A, "M1-YENIKAPI", TOKEN_A)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("reuses another cluster's token").hasMessageNotContaining(TOKEN_A);
  }

  @Test
  void anInvalidIdIsRefused() {
    assertThatThrownBy(() -> parse(yaml("M2 TAKSIM", TOKEN_A))).isInstanceOf(ConfigException.class).hasMessageContaining("clusters[0].id");
    assertThatThrownBy(() -> parse(yaml("", TOKEN_A))).isInstanceOf(ConfigException.class);
  }

  @Test
  void aFileWithoutAClustersListIsRefused() {
    assertThatThrownBy(() -> parse("tokens: []\n")).isInstanceOf(ConfigException.class).hasMessageContaining("clusters");
    assertThatThrownBy(() -> parse("clusters: {}\n")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> parse("clusters: [\n")).isInstanceOf(ConfigException.class).hasMessageContaining("YAML");
  }

  @Test
  void headersAreMatchedExactlyExceptForTheSchemeCase(Vertx vertx, VertxTestContext context, @TempDir Path directory) throws Exception {
    Path file = directory.resolve("clusters.yaml");
    Files.writeString(file, yaml("M2-TAKSIM", TOKEN_A));
    ValidatorClusters.load(vertx, file).onComplete(context.succeeding(clusters -> context.verify(() -> {
      assertThat(clusters.clusterFor("Bearer " + TOKEN_A)).isEqualTo("M2-TAKSIM");
      assertThat(clusters.clusterFor("bearer " + TOKEN_A)).isEqualTo("M2-TAKSIM");
      assertThat(clusters.clusterFor("BEARER " + TOKEN_A)).isEqualTo("M2-TAKSIM");
      assertThat(clusters.clusterFor("Bearer " + TOKEN_A.toUpperCase())).isNull();
      assertThat(clusters.clusterFor("Bearer " + TOKEN_A + "x")).isNull();
      assertThat(clusters.clusterFor("Basic " + TOKEN_A)).isNull();
      assertThat(clusters.clusterFor(TOKEN_A)).isNull();
      assertThat(clusters.clusterFor("Bearer ")).isNull();
      assertThat(clusters.clusterFor(null)).isNull();
      context.completeNow();
    })));
  }

  @Test
  void aMissingFileFailsTheLoadNamingTheKey(Vertx vertx, VertxTestContext context, @TempDir Path directory) {
    ValidatorClusters.load(vertx, directory.resolve("absent.yaml")).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOfSatisfying(StartupFailure.class, startup -> {
        assertThat(startup.key()).isEqualTo("tap.clustersFile");
        assertThat(startup.kind()).isEqualTo(StartupFailure.Kind.CONFIGURATION);
        assertThat(startup.problem()).isEqualTo(directory.resolve("absent.yaml") + " cannot be read: no such file");
      });
      context.completeNow();
    })));
  }

  @Test
  void aMalformedFileFailsTheLoadWithWhereItBreaks(Vertx vertx, VertxTestContext context, @TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("clusters.yaml"), "clusters:\n  - id: [unclosed\n");
    ValidatorClusters.load(vertx, file).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOfSatisfying(StartupFailure.class, startup -> {
        assertThat(startup.key()).isEqualTo("tap.clustersFile");
        assertThat(startup.problem()).startsWith(file + " is invalid: not valid YAML (line ").doesNotContain("\n");
      });
      context.completeNow();
    })));
  }

  @Test
  void anInvalidRewriteKeepsTheLastGoodTokensAndAValidOneReplacesThem(Vertx vertx, @TempDir Path directory) throws Exception {
    Path file = directory.resolve("clusters.yaml");
    Files.writeString(file, yaml("M2-TAKSIM", TOKEN_A));
    ValidatorClusters clusters = ValidatorClusters.load(vertx, file).await();
    long watch = clusters.watch(vertx, 50);
    try {
      int linesBefore = LogCapture.lines().size();
      Files.writeString(file, yaml("M2-TAKSIM", "too-short"));
      await().atMost(Duration.ofSeconds(10)).until(() -> LogCapture.lines().stream().skip(linesBefore)
          .anyMatch(line -> line.contains("keeping the previous tokens")));
      assertThat(clusters.clusterFor("Bearer " + TOKEN_A)).isEqualTo("M2-TAKSIM");

      Files.writeString(file, yaml("IETT-DEPOT", TOKEN_B));
      await().atMost(Duration.ofSeconds(10)).until(() -> "IETT-DEPOT".equals(clusters.clusterFor("Bearer " + TOKEN_B)));
      assertThat(clusters.clusterFor("Bearer " + TOKEN_A)).isNull();
      assertThat(LogCapture.lines()).noneMatch(line -> line.contains(TOKEN_A) || line.contains(TOKEN_B));
    } finally {
      vertx.cancelTimer(watch);
    }
  }
}
