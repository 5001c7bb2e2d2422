package istanbul.hes.demo;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The municipality's own sentence about its cards ("N cards, M (P %) personalized; A active …, B
 * (Q %) of them personalized"), for the demo's population, from the operators' statistics
 * endpoint as any operator would ask it: today's live figures, which the node takes at its first
 * statistics round.
 */
final class DemoSeedSentence {
  private DemoSeedSentence() {}

  /** The sentence, or empty when the node had no figures of today within {@code bound}. */
  static Optional<String> ask(int adminPort, String operatorToken, Duration bound) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/v1/statistics"))
        .header("Authorization", "Bearer " + operatorToken).timeout(Duration.ofSeconds(30)).build();
    long deadline = System.nanoTime() + bound.toNanos();
    do {
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          JsonObject report = new JsonObject(answer.body());
          JsonObject today = report.getJsonArray("days").getJsonObject(report.getJsonArray("days").size() - 1);
          if (today.getJsonObject("population") != null) {
            return Optional.of(sentence(today));
          }
        }
      } catch (IOException e) {
        // the listener answers within the bound or the sentence is left out
      }
      // The command line's main thread, waiting for the node's first statistics round (bounded): no event loop.
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  static String sentence(JsonObject day) {
    JsonObject population = day.getJsonObject("population");
    long active = day.getLong("activeCards");
    long activePersonalized = day.getLong("activePersonalized");
    return String.format(Locale.ROOT, "%,d cards, %,d (%s) personalized; %,d active today, %,d (%s) of them personalized",
        population.getLong("cards"), population.getLong("personalized"),
        percent(population.getLong("personalized"), population.getLong("cards")), active, activePersonalized,
        percent(activePersonalized, active));
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "– %" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }
}
