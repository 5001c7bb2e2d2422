package istanbul.hes.tap;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.config.AnonymousPolicy;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The circular's first stage: anonymous cards ride; every other rule stays. */
class AnonymousAllowPolicyTest {
  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of("tap.anonymousPolicy", "ALLOW"));

  private static TestEnvironment environment;
  private static TestNode node;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
  }

  @Test
  void anonymousCardsRideAndTheOtherRulesStay() {
    List<Long> cards = node.seeder().oneOfEach();
    for (CardClass kind : CardClass.values()) {
      assertThat(node.reason(cards.get(kind.ordinal()))).as(kind.name()).isEqualTo(kind.reason(AnonymousPolicy.ALLOW));
    }
    assertThat(node.reason(cards.get(CardClass.ANONYMOUS.ordinal()))).isEqualTo("OK");
  }

  @Test
  void aBlockedAnonymousCardIsStillDenied() {
    long card = node.seeder().create(CardClass.ANONYMOUS);
    node.seeder().setBlocked(card, true);
    assertThat(node.reason(card)).isEqualTo("CARD_BLOCKED");
  }
}
