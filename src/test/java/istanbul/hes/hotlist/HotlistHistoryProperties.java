package istanbul.hes.hotlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.RulePhases;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.TestEnvironment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.awaitility.Awaitility;

/**
 * Whatever the cards' histories (bulk-loaded in any state with no change-log row, or logged from
 * the start; then blocks, unblocks, risk, clearance, HES links and their removal, codes expiring
 * as days pass, and transactions that commit after younger ones), the changes since any version
 * the gateway gave are exactly the difference between the full list it gave at that version and
 * the full list now; and the full list is the tap rule applied to every card.
 */
class HotlistHistoryProperties {
  /** The first stage: the HES rule enforced for personalized and anonymous cards. */
  private static final RulePhases ENFORCED = new RulePhases(new RulePhases.Modes(RuleMode.ENFORCE, RuleMode.ENFORCE));
  private static TestEnvironment environment;
  private static Vertx vertx;
  private static CardSeeder seeder;
  private static CardStatusStore store;
  private static ZoneId zone;
  private static final AtomicLong DAYS_AHEAD = new AtomicLong();
  private static HotlistSource source;

  /** A clock some whole days ahead of now, moved forward by the histories. */
  private static final class DaysAheadClock extends Clock {
    private final ZoneId zone;

    DaysAheadClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return new DaysAheadClock(other);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(Duration.ofDays(DAYS_AHEAD.get()));
    }
  }

  @BeforeContainer
  static void start() {
    environment = new TestEnvironment();
    environment.migrate();
    seeder = environment.offlineSeeder();
    store = environment.offlineStore();
    zone = environment.config().tap().timeZone();
    vertx = Vertx.vertx();
    source = new HotlistSource(vertx, environment.pool(), zone, new DaysAheadClock(zone), ENFORCED);
  }

  @AfterContainer
  static void stop() {
    environment.close();
    Await.result(vertx.close());
  }

  private record Recorded(HotlistVersion version, long[] cards) {}

  /** A transaction that changed a card and keeps running while younger ones commit. */
  private record Held(long card, Promise<Void> release, Future<Object> done) {}

  @Property(tries = 6, shrinking = ShrinkingMode.OFF)
  void theChangesSinceAnyVersionAreTheDifferenceOfTheFullLists(
      @ForAll @IntRange(min = 10, max = 60) int steps,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    Random random = new Random(seed);
    List<Long> cards = new ArrayList<>();
    List<Long> personalized = new ArrayList<>();
    for (CardClass kind : CardClass.values()) {
      for (int i = random.nextInt(3); i > 0; i--) {
        long card = seeder.bulkLoaded(kind);
        cards.add(card);
        if (kind != CardClass.ANONYMOUS) {
          personalized.add(card);
        }
      }
      if (random.nextBoolean()) {
        long card = seeder.create(kind);
        cards.add(card);
        if (kind != CardClass.ANONYMOUS) {
          personalized.add(card);
        }
      }
    }
    // The population is loaded before lists are served: one logged change moves the version past it
    // (until the cut holds that change, the version is one served before the load).
    seeder.create(CardClass.ANONYMOUS);
    settledFull();

    List<Recorded> recorded = new ArrayList<>();
    Held held = null;
    for (int step = 0; step < steps; step++) {
      int operation = random.nextInt(11);
      List<Long> pool = operation >= 2 && operation <= 5 ? personalized : cards;
      long card = pool.get(random.nextInt(pool.size()));
      if (held != null && card == held.card() && operation <= 5) {
        continue; // its row is locked by the held transaction
      }
      switch (operation) {
        case 0 -> seeder.setBlocked(card, true);
        case 1 -> seeder.setBlocked(card, false);
        case 2 -> seeder.setRisky(card, random.nextBoolean());
        case 3 -> seeder.setRisky(card, false);
        case 4 -> seeder.linkHes(card, today().plusDays(random.nextInt(4)));
        case 5 -> seeder.unlinkHes(card);
        case 6 -> DAYS_AHEAD.addAndGet(1 + random.nextInt(2));
        case 7, 8 -> recorded.add(full());
        case 9 -> {
          if (held == null) {
            held = hold(card);
          } else {
            release(held);
            held = null;
          }
        }
        default -> check(recorded);
      }
    }
    if (held != null) {
      release(held);
    }
    recorded.add(full());
    check(recorded);
    assertThat(settledFull().cards()).as("the tap rule on every card").containsExactly(byTheTapRule());
  }

  private static LocalDate today() {
    return source.today();
  }

  private static Recorded full() {
    HotlistVersion current = Await.result(source.current());
    Hotlist list = Await.result(source.list(Optional.empty(), current).list);
    assertThat(list.full()).isTrue();
    return new Recorded(list.version(), list.added());
  }

  /** The full list once its cut holds every change made (other writers of the database may hold the cut back a moment). */
  private static Recorded settledFull() {
    long newest = Long.parseLong(environment.column("SELECT coalesce((SELECT txid FROM card_status_log ORDER BY txid DESC LIMIT 1)::text, '0')").get(0));
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(HotlistHistoryProperties::full, list -> list.version().logTransaction() >= newest);
  }

  /**
   * For every recorded version: the changes since it equal the difference with the full list
   * now. Retried while the cut moves between the two reads (another writer of the database ended).
   */
  private static void check(List<Recorded> recorded) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
      Recorded now = full();
      for (Recorded then : recorded) {
        Hotlist changes = Await.result(source.list(Optional.of(then.version()), now.version()).list);
        if (!changes.version().equals(now.version())) {
          return false;
        }
        assertThat(changes.full()).as("changes since %s", then.version()).isFalse();
        assertThat(changes.added()).as("added since %s", then.version()).containsExactly(minus(now.cards(), then.cards()));
        assertThat(changes.removed()).as("removed since %s", then.version()).containsExactly(minus(then.cards(), now.cards()));
      }
      return true;
    });
  }

  private static long[] minus(long[] a, long[] b) {
    return Arrays.stream(a).filter(card -> Arrays.binarySearch(b, card) < 0).toArray();
  }

  private static Held hold(long card) {
    Promise<Void> holding = Promise.promise();
    Promise<Void> release = Promise.promise();
    Future<Object> done = store.inTransaction(transaction -> transaction.connection().preparedQuery(
            "WITH unblocked AS (DELETE FROM card_blocks WHERE card_no = $1 RETURNING card_no) "
                + "INSERT INTO card_blocks (card_no, reason, blocked_by) SELECT $1, 'STOLEN', 'test' "
                + "WHERE NOT EXISTS (SELECT 1 FROM unblocked)")
        .execute(Tuple.of(card))
        .compose(toggled -> transaction.recompute(new long[] {card}, "TEST_HELD"))
        .compose(recomputed -> {
          holding.complete();
          return release.future();
        })
        .map(released -> null));
    Await.result(holding.future());
    return new Held(card, release, done);
  }

  private static void release(Held held) {
    held.release().complete();
    Await.result(held.done());
  }

  /** The denied cards read straight from {@code cards}, by the tap rule (anonymous cards denied only when blocked). */
  private static long[] byTheTapRule() {
    LocalDate today = today();
    TreeSet<Long> denied = new TreeSet<>();
    try (Connection connection = environment.jdbc(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT card_no, kind::text, blocked, hes_linked, hes_expires_on, risky FROM cards")) {
      while (rows.next()) {
        boolean personalized = rows.getString(2).equals("PERSONALIZED");
        boolean blocked = rows.getBoolean(3);
        boolean linked = rows.getBoolean(4);
        java.sql.Date expires = rows.getDate(5);
        boolean risky = rows.getBoolean(6);
        boolean expired = expires != null && !expires.toLocalDate().isAfter(today);
        if (blocked || (personalized && (risky || !linked || expired))) {
          denied.add(rows.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return denied.stream().mapToLong(Long::longValue).toArray();
  }
}
