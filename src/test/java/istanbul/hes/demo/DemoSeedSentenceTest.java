package istanbul.hes.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The demo's banner speaks as the municipality does of its cards (seeds/000). */
class DemoSeedSentenceTest {
  @Test
  void theSeedsFiguresReadAsTheSeedsSentence() {
    JsonObject day = new JsonObject()
        .put("population", new JsonObject().put("cards", 34_260_087L).put("personalized", 8_260_087L))
        .put("activeCards", 7_000_000L).put("activePersonalized", 2_800_000L);
    assertThat(DemoSeedSentence.sentence(day))
        .isEqualTo("34,260,087 cards, 8,260,087 (24.1 %) personalized; 7,000,000 active today, 2,800,000 (40.0 %) of them personalized");
  }

  @Test
  void aDayWithoutTapsHasNoShare() {
    JsonObject day = new JsonObject().put("population", new JsonObject().put("cards", 1_000L).put("personalized", 240L))
        .put("activeCards", 0L).put("activePersonalized", 0L);
    assertThat(DemoSeedSentence.sentence(day)).isEqualTo("1,000 cards, 240 (24.0 %) personalized; 0 active today, 0 (– %) of them personalized");
  }
}
