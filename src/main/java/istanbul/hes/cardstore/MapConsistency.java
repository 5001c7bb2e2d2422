package istanbul.hes.cardstore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compares this node's map with PostgreSQL, card by card, from both sides: cards read from the
 * table (all of them, or a sample of whole pages) are looked up in the map, and cards read from
 * the map (all of them when the counts disagree, or a sample of whole segments) are looked up in
 * the table. Three kinds of mismatch: a card in both whose entry differs ({@code differing}), a
 * card of the table the map lacks ({@code missingInMap}), and a card only the map holds
 * ({@code extraInMap}, e.g. a map of another database). A difference can be a change still on its
 * way (committed a moment ago, not yet fanned out), so every card found different is read again
 * after {@link #RECHECK_MILLIS} and counted only if it still differs. Results go to the operator
 * and to the {@code gateway_map_consistency_*} gauges (the last check's; the mismatch gauge
 * counts all three kinds).
 */
public final class MapConsistency {
  static final long RECHECK_MILLIS = 1_500;
  private static final int FETCH_ROWS = 5_000;
  private static final int RECHECK_ROWS = 50_000;
  private static final int EXAMPLES = 10;

  /**
   * What one check found. {@code mismatches} is the total of the three kinds; {@code examples}
   * (masked) holds the first few of them, whatever their kind, and {@code examplesByKind} says
   * which is which.
   */
  public record Report(String mode, long checked, long differing, long missingInMap, long extraInMap, List<Long> examples,
      List<Long> differingExamples, List<Long> missingExamples, List<Long> extraExamples, long tookMillis) {
    public long mismatches() {
      return differing + missingInMap + extraInMap;
    }

    public JsonObject toJson() {
      return new JsonObject().put("mode", mode).put("checked", checked).put("mismatches", mismatches())
          .put("differing", differing).put("missingInMap", missingInMap).put("extraInMap", extraInMap)
          .put("examples", masked(examples))
          .put("examplesByKind", new JsonObject().put("differing", masked(differingExamples))
              .put("missingInMap", masked(missingExamples)).put("extraInMap", masked(extraExamples)))
          .put("tookMillis", tookMillis);
    }

    private static JsonArray masked(List<Long> cards) {
      JsonArray masked = new JsonArray();
      cards.forEach(card -> masked.add(CardNumber.masked(card)));
      return masked;
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final CardStatusMap map;
  private final AtomicLong lastMismatches = new AtomicLong(-1);
  private final AtomicLong lastChecked = new AtomicLong();
  private final AtomicLong lastCheckEpochSeconds = new AtomicLong();

  public MapConsistency(Vertx vertx, Pool pool, CardStatusMap map, MeterRegistry meters) {
    this.vertx = vertx;
    this.pool = pool;
    this.map = map;
    Gauge.builder("gateway_map_consistency_mismatches", lastMismatches, AtomicLong::get)
        .description("Cards that disagreed at the last check: entries differing from PostgreSQL, cards missing from the map "
            + "and cards only in the map (-1: none yet)").register(meters);
    Gauge.builder("gateway_map_consistency_checked_cards", lastChecked, AtomicLong::get)
        .description("Cards compared by the last consistency check").register(meters);
    Gauge.builder("gateway_map_consistency_last_check_timestamp_seconds", lastCheckEpochSeconds, AtomicLong::get)
        .description("When the last consistency check ended (epoch seconds)").register(meters);
  }

  /**
   * Every card of the table; then, if the map holds more entries than it matched, every entry of
   * the map, to find the cards only it holds.
   */
  public Future<Report> full() {
    long started = System.nanoTime();
    Tally tally = new Tally(false);
    return pool.withTransaction(connection -> connection.prepare(CardStatusSql.ALL_CARDS).compose(statement -> {
          Cursor cursor = statement.cursor();
          Promise<Void> done = Promise.promise();
          readBatches(cursor, tally, done);
          return done.future().eventually(() -> cursor.close().eventually(statement::close));
        }))
        .compose(read -> map.size() > tally.present ? readMap(new int[] {0}, map.segments(), Long.MAX_VALUE, tally)
            : Future.succeededFuture())
        .compose(read -> recheck(tally))
        .map(found -> finish("full", tally, found, started));
  }

  /**
   * About {@code cards} cards: half (at least one) from whole pages of the table picked at
   * random, half (at least one) from whole segments of the map, starting at a random one.
   */
  public Future<Report> sample(int cards) {
    long started = System.nanoTime();
    int fromTable = Math.max(1, cards - cards / 2);
    int fromMap = Math.max(1, cards / 2);
    Tally tally = new Tally(true);
    return pool.query(CardStatusSql.CARD_ESTIMATE).execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(estimate -> {
          double percent = estimate <= fromTable ? 100.0 : Math.min(100.0, 100.0 * fromTable * 1.2 / estimate);
          return pool.preparedQuery(CardStatusSql.SAMPLE_CARDS).execute(Tuple.of(percent, fromTable));
        })
        .onSuccess(rows -> compare(rows, tally))
        .compose(rows -> {
          int segments = map.segments();
          int first = ThreadLocalRandom.current().nextInt(segments);
          return readMap(new int[] {first}, first + segments, fromMap, tally);
        })
        .compose(read -> recheck(tally))
        .map(found -> finish("sample", tally, found, started));
  }

  private Report finish(String mode, Tally tally, Found found, long started) {
    List<Long> examples = new ArrayList<>();
    for (List<Long> kind : List.of(found.differing, found.missing, found.extra)) {
      kind.stream().limit(EXAMPLES - examples.size()).forEach(examples::add);
    }
    Report report = new Report(mode, tally.checked, found.differing.size(), found.missing.size(), found.extra.size(), examples,
        first(found.differing), first(found.missing), first(found.extra), (System.nanoTime() - started) / 1_000_000);
    lastMismatches.set(report.mismatches());
    lastChecked.set(report.checked());
    lastCheckEpochSeconds.set(System.currentTimeMillis() / 1000);
    return report;
  }

  private static List<Long> first(List<Long> cards) {
    return List.copyOf(cards.subList(0, Math.min(EXAMPLES, cards.size())));
  }

  private void readBatches(Cursor cursor, Tally tally, Promise<Void> done) {
    cursor.read(FETCH_ROWS).onComplete(batch -> {
      if (batch.failed()) {
        done.fail(batch.cause());
        return;
      }
      compare(batch.result(), tally);
      if (cursor.hasMore()) {
        readBatches(cursor, tally, done);
      } else {
        done.complete();
      }
    });
  }

  /** Cards read from the table, looked up in the map. */
  private void compare(RowSet<Row> rows, Tally tally) {
    CardKey key = new CardKey();
    CardStatus inMap = new CardStatus();
    CardStatus inDatabase = new CardStatus();
    for (Row row : rows) {
      long card = CardStatusRows.card(row);
      tally.checked++;
      if (tally.fromTable != null) {
        tally.fromTable.add(card);
      }
      boolean known = map.lookup(card, key, inMap);
      if (known) {
        tally.present++;
      }
      if (!known || !inMap.equals(CardStatusRows.read(row, inDatabase))) {
        tally.suspects.add(card);
      }
    }
  }

  /**
   * Reads the map's cards segment by segment from {@code next[0]} (modulo the segment count)
   * until {@code end} or until {@code limit} cards were read, and looks them up in the table.
   * Reading a segment blocks: a worker does it, a few thousand cards at a time.
   */
  private Future<Void> readMap(int[] next, int end, long limit, Tally tally) {
    if (next[0] >= end || tally.fromMap >= limit) {
      return Future.succeededFuture();
    }
    int segments = map.segments();
    return vertx.executeBlocking(() -> {
          List<Long> cards = new ArrayList<>();
          while (next[0] < end && cards.size() < FETCH_ROWS) {
            map.cardsOfSegment(next[0]++ % segments, cards);
          }
          return cards;
        })
        .compose(cards -> {
          List<Long> unseen = new ArrayList<>();
          for (long card : cards) {
            if (tally.fromMap >= limit) {
              break;
            }
            tally.fromMap++;
            if (tally.fromTable == null || !tally.fromTable.contains(card)) {
              unseen.add(card);
            }
          }
          return unseen.isEmpty() ? Future.succeededFuture()
              : pool.preparedQuery(CardStatusSql.SOME_CARDS).execute(Tuple.of(unseen.toArray(Long[]::new)))
                  .map(rows -> {
                    Set<Long> inTable = new HashSet<>();
                    rows.forEach(row -> inTable.add(CardStatusRows.card(row)));
                    for (long card : unseen) {
                      if (!inTable.contains(card)) {
                        // Only the map holds it (or the table lost it after its scan: the recheck says which).
                        tally.checked++;
                        tally.suspects.add(card);
                      }
                    }
                    if (tally.fromTable != null) {
                      // A sample compares the cards it found in the table too (a full check already did).
                      tally.checked += rows.rowCount();
                      Tally found = new Tally(false);
                      compare(rows, found);
                      tally.suspects.addAll(found.suspects);
                    }
                    return null;
                  });
        })
        .compose(read -> readMap(next, end, limit, tally));
  }

  /** Reads the suspects again a moment later: only those that still differ are mismatches, by kind. */
  private Future<Found> recheck(Tally tally) {
    Found found = new Found();
    if (tally.suspects.isEmpty()) {
      return Future.succeededFuture(found);
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(RECHECK_MILLIS, id -> later.complete());
    List<Long> suspects = new ArrayList<>(tally.suspects);
    Future<Void> checked = later.future();
    for (int from = 0; from < suspects.size(); from += RECHECK_ROWS) {
      List<Long> chunk = suspects.subList(from, Math.min(suspects.size(), from + RECHECK_ROWS));
      checked = checked.compose(previous -> pool.preparedQuery(CardStatusSql.SOME_CARDS).execute(Tuple.of(chunk.toArray(Long[]::new)))
          .map(rows -> {
            classify(chunk, rows, found);
            return null;
          }));
    }
    return checked.map(found);
  }

  private void classify(List<Long> suspects, RowSet<Row> rows, Found found) {
    CardKey key = new CardKey();
    CardStatus inMap = new CardStatus();
    CardStatus inDatabase = new CardStatus();
    Set<Long> inTable = new HashSet<>();
    for (Row row : rows) {
      long card = CardStatusRows.card(row);
      inTable.add(card);
      if (!map.lookup(card, key, inMap)) {
        found.missing.add(card);
      } else if (!inMap.equals(CardStatusRows.read(row, inDatabase))) {
        found.differing.add(card);
      }
    }
    for (long card : suspects) {
      if (!inTable.contains(card) && map.lookup(card, key, inMap)) {
        found.extra.add(card);
      }
    }
  }

  private static final class Tally {
    long checked;
    long present;
    long fromMap;
    /** The sampled table cards (a sample only): the map side skips them. */
    final Set<Long> fromTable;
    final Set<Long> suspects = new LinkedHashSet<>();

    Tally(boolean sampling) {
      fromTable = sampling ? new HashSet<>() : null;
    }
  }

  private static final class Found {
    final List<Long> differing = new ArrayList<>();
    final List<Long> missing = new ArrayList<>();
    final List<Long> extra = new ArrayList<>();
  }
}
