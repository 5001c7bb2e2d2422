package istanbul.hes.loadtest;

import io.vertx.core.Vertx;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.auth.DevelopmentTokenIssuer;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.demo.DemoPopulation;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the Gatling citizens' feed: one line per synthetic demo holder whose card has no HES code
 * ({@code card,token,primary,alternate}), with a development token for the holder (signed with
 * the demo's key, as the identity provider would) and the two codes the demo ministry knows for
 * them. The Gatling project reads it and needs no gateway code.
 *
 * <pre>java -cp … istanbul.hes.loadtest.CitizenFeed --cards N --data-dir DIR --count M --minutes 60 --out FILE</pre>
 */
public final class CitizenFeed {
  private CitizenFeed() {}

  public static void main(String[] args) throws Exception {
    long cards = 1_000_000;
    Path dataDir = Path.of("data", "demo");
    int count = 30_000;
    int minutes = 60;
    Path out = Path.of("loadtest", "target", "citizens.csv");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        case "--count" -> count = Integer.parseInt(args[i + 1]);
        case "--minutes" -> minutes = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    GatewayConfig config = GatewayConfig.load(Optional.empty(), Map.of("node.dataDir", dataDir.toString()));
    DevelopmentTokenIssuer issuer = DevelopmentTokenIssuer.forNode(config);
    Duration lifetime = Duration.ofMinutes(Math.min(minutes, config.citizen().tokenMaxLifetimeSeconds() / 60));
    Vertx vertx = Vertx.vertx();
    int written = 0;
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write("card,token,primary,alternate\n");
      for (long i = 0; i < cards && written < count; i++) {
        if (DemoPopulation.profile(i) != DemoPopulation.Profile.NO_HES_CODE) {
          continue;
        }
        String subject = DemoPopulation.identityKey(i);
        String token = issuer.mint(vertx, subject, config.citizen().tokenIssuer(), config.citizen().tokenAudience(), lifetime);
        writer.write(CardNumber.format(DemoPopulation.cardNumber(i)) + "," + token + "," + DemoPopulation.hesCode(i) + ","
            + DemoPopulation.alternateHesCode(i) + "\n");
        written++;
      }
    } finally {
      vertx.close();
    }
    System.out.println("wrote " + written + " citizens to " + out + (written < count ? " (all the population has)" : ""));
  }
}
