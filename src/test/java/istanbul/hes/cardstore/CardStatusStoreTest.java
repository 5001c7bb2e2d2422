package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transaction's changes are in this node's map and handed to the listeners when its future
 * completes, whether they were few (written on the event loop) or many (written on a worker).
 */
class CardStatusStoreTest {
  private static TestEnvironment environment;
  private static Vertx vertx;
  private static CardStatusMap map;
  private static CardStatusStore store;

  @BeforeAll
  static void open() throws Exception {
    environment = new TestEnvironment();
    environment.migrate();
    vertx = Vertx.vertx();
    Path file = Files.createTempDirectory("card-status-store").resolve("cards.map");
    map = new CardStatusMap();
    map.install(CardMapFile.builder(10_000).createPersistedTo(file.toFile()));
    map.markReady();
    store = new CardStatusStore(environment.pool(), map);
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
    environment.close();
  }

  /** Blocks the cards in PostgreSQL, then recomputes them in one transaction on an event loop; returns what the listeners saw. */
  private static List<Long> blockAndRecompute(List<Long> cards) {
    environment.sql("INSERT INTO card_blocks (card_no, reason, blocked_by) SELECT unnest(ARRAY[" + cards.stream().map(String::valueOf)
        .collect(Collectors.joining(",")) + "]::bigint[]), 'LOST', 'test'");
    List<Long> heard = Collections.synchronizedList(new ArrayList<>());
    store.onCommitted(updates -> updates.forEach(update -> heard.add(update.card())));
    long[] numbers = cards.stream().mapToLong(Long::longValue).toArray();
    Promise<List<CardStatusUpdate>> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(ignored -> store.recompute(numbers, "TEST").onComplete(done));
    Future<List<CardStatusUpdate>> recomputed = done.future();
    assertThat(Await.result(recomputed)).hasSize(cards.size());
    return heard;
  }

  private static void assertBlockedInTheMap(List<Long> cards) {
    CardKey key = new CardKey();
    CardStatus status = new CardStatus();
    for (long card : cards) {
      assertThat(map.lookup(card, key, status)).as("card %d in the map", card).isTrue();
      assertThat(status.blocked()).as("card %d blocked in the map", card).isTrue();
    }
  }

  @Test
  void aFewChangesAreInTheMapWhenTheFutureCompletes() {
    List<Long> cards = environment.offlineSeeder().create(Collections.nCopies(3, CardClass.OK));
    List<Long> heard = blockAndRecompute(cards);
    assertBlockedInTheMap(cards);
    assertThat(heard).containsAll(cards);
  }

  @Test
  void aPageOfChangesWrittenOnAWorkerIsInTheMapWhenTheFutureCompletes() {
    List<Long> cards = environment.offlineSeeder().create(Collections.nCopies(CardStatusStore.OFF_LOOP_UPDATES + 50, CardClass.OK));
    List<Long> heard = blockAndRecompute(cards);
    assertBlockedInTheMap(cards);
    assertThat(heard).containsAll(cards);
  }
}
