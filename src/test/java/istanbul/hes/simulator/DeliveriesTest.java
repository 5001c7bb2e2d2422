package istanbul.hes.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.simulator.Deliveries.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The messaging simulators' ledger, at small limits: what is kept, counted and remembered. */
class DeliveriesTest {
  private static final Instant START = Instant.parse("2025-03-01T09:00:00Z");

  /** A clock one second further on at each reading. */
  private static final class Ticking extends Clock {
    private Instant now = START;

    @Override
    public Instant instant() {
      Instant current = now;
      now = now.plus(Duration.ofSeconds(1));
      return current;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private record Sent(long id, String to, Instant at) {}

  private final Deliveries<Sent> deliveries = new Deliveries<>(3, 2, 2, new Ticking());

  private Deliveries.Receipt<Sent> send(String to, String reference) {
    return deliveries.deliver(to, reference, (id, at) -> new Sent(id, to, at));
  }

  @Test
  void keepsTheLastMessagesButCountsThemAll() {
    for (int i = 0; i < 5; i++) {
      send(i % 2 == 0 ? "a" : "b", null);
    }
    assertThat(deliveries.kept(null)).extracting(Sent::id).containsExactly(3L, 4L, 5L);
    assertThat(deliveries.kept("a")).extracting(Sent::id).containsExactly(3L, 5L);
    assertThat(deliveries.kept("c")).isEmpty();
    Deliveries.Counts counts = deliveries.counts();
    assertThat(counts.recipients()).isEqualTo(Map.of("a", 3L, "b", 2L));
    assertThat(counts.total()).isEqualTo(5);
    assertThat(counts.first()).isEqualTo(START);
    assertThat(counts.last()).isEqualTo(START.plusSeconds(4));
    assertThat(counts.toString()).isEqualTo("Counts[2 recipients, total 5, duplicates 0, refused 0, unlisted 0]");
  }

  @Test
  void aRepeatedReferenceIsADuplicateOfTheFirstDelivery() {
    Deliveries.Receipt<Sent> first = send("a", "r1");
    assertThat(first.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(first.delivered()).isEqualTo(new Sent(1, "a", START));
    Deliveries.Receipt<Sent> repeat = send("b", "r1");
    assertThat(repeat).isEqualTo(new Deliveries.Receipt<Sent>(Outcome.DUPLICATE, 1, null));
    assertThat(repeat.duplicate()).isTrue();
    assertThat(deliveries.kept(null)).containsExactly(new Sent(1, "a", START));
    Deliveries.Counts counts = deliveries.counts();
    assertThat(counts.recipients()).isEqualTo(Map.of("a", 1L));
    assertThat(counts.total()).isEqualTo(1);
    assertThat(counts.duplicates()).isEqualTo(1);
    assertThat(counts.last()).as("a duplicate is no delivery").isEqualTo(START);
  }

  @Test
  void theOldestReferenceIsForgottenFirst() {
    send("a", "r1");
    send("a", "r2");
    assertThat(send("a", "r1").duplicate()).isTrue();
    send("a", "r3"); // r1 goes: two references are remembered
    assertThat(send("a", "r2").id()).isEqualTo(2);
    assertThat(send("a", "r3").id()).isEqualTo(3);
    Deliveries.Receipt<Sent> forgotten = send("a", "r1");
    assertThat(forgotten.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(forgotten.id()).isEqualTo(4);
    assertThat(deliveries.counts().total()).isEqualTo(4);
    assertThat(deliveries.counts().duplicates()).isEqualTo(3);
  }

  @Test
  void recipientsBeyondTheLimitAreCountedInTotalAndUnlisted() {
    send("a", null);
    send("b", null);
    send("c", null);
    send("a", null);
    send("d", null);
    Deliveries.Counts counts = deliveries.counts();
    assertThat(counts.recipients()).isEqualTo(Map.of("a", 2L, "b", 1L));
    assertThat(counts.unlisted()).isEqualTo(2);
    assertThat(counts.total()).isEqualTo(5);
    assertThat(deliveries.kept("d")).extracting(Sent::id).containsExactly(5L);
  }

  @Test
  void aRefusedRecipientIsNeitherKeptNorRememberedButADuplicateStaysOne() {
    send("a", "r1");
    Deliveries.Receipt<Sent> duplicate = deliveries.deliver("a", "r1", "a"::equals, (id, at) -> new Sent(id, "a", at));
    assertThat(duplicate.outcome()).isEqualTo(Outcome.DUPLICATE);
    for (int i = 0; i < 2; i++) {
      Deliveries.Receipt<Sent> refused = deliveries.deliver("b", "r2", "b"::equals, (id, at) -> new Sent(id, "b", at));
      assertThat(refused).isEqualTo(new Deliveries.Receipt<Sent>(Outcome.REFUSED, 0, null));
      assertThat(refused.refused()).isTrue();
    }
    assertThat(send("b", "r2").id()).as("the refused reference was not remembered; no id was used").isEqualTo(2);
    Deliveries.Counts counts = deliveries.counts();
    assertThat(counts.refused()).isEqualTo(2);
    assertThat(counts.recipients()).isEqualTo(Map.of("a", 1L, "b", 1L));
  }

  @Test
  void clearForgetsEverythingButIdsKeepRising() {
    send("a", "r1");
    send("b", "r1");
    deliveries.deliver("c", null, any -> true, (id, at) -> new Sent(id, "c", at));
    deliveries.clear();
    assertThat(deliveries.kept(null)).isEmpty();
    assertThat(deliveries.counts()).isEqualTo(new Deliveries.Counts(Map.of(), 0, 0, 0, 0, null, null));
    assertThat(deliveries.counts().toJson().encode())
        .isEqualTo("{\"recipients\":{},\"total\":0,\"duplicates\":0,\"refused\":0,\"unlisted\":0,\"first\":null,\"last\":null}");
    Deliveries.Receipt<Sent> after = send("a", "r1");
    assertThat(after.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(after.id()).isEqualTo(2);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new Deliveries<Sent>(0, 1, 1, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Deliveries<Sent>(1, 0, 1, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Deliveries<Sent>(1, 1, 0, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void referencesAreShortPlainTokens() {
    assertThat(Deliveries.REFERENCE.matcher("campaign-7:contact_1.v2").matches()).isTrue();
    assertThat(Deliveries.REFERENCE.matcher("r".repeat(128)).matches()).isTrue();
    assertThat(Deliveries.REFERENCE.matcher("r".repeat(129)).matches()).isFalse();
    assertThat(Deliveries.REFERENCE.matcher("").matches()).isFalse();
    assertThat(Deliveries.REFERENCE.matcher("a/b").matches()).isFalse();
    assertThat(Deliveries.REFERENCE.matcher("a b").matches()).isFalse();
  }
}
