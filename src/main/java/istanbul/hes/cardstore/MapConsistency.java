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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compares this node's map with PostgreSQL, card by card: the whole table (a cursor, in batches)
 * or a sample of whole pages. A card differs when the map lacks it or holds another version or
 * other inputs. A difference can be a change still on its way (committed a moment ago, not yet
 * fanned out), so every card found different is read again after {@link #RECHECK_MILLIS} and
 * counted only if it still differs. Results go to the operator and to the
 * {@code gateway_map_consistency_*} gauges (the last check's).
 */
public final class MapConsistency {
  static final long RECHECK_MILLIS = 1_500;
  private static final int FETCH_ROWS = 5_000;
  private static final int EXAMPLES = 10;

  /** What one check found. */
  public record Report(String mode, long checked, long mismatches, long missingInMap, long extraInMap, List<Long> examples,
      long tookMillis) {
    public JsonObject toJson() {
      JsonArray masked = new JsonArray();
      examples.forEach(card -> masked.add(CardNumber.masked(card)));
      return new JsonObject().put("mode", mode).put("checked", checked).put("mismatches", mismatches)
          .put("missingInMap", missingInMap).put("extraInMap", extraInMap).put("examples", masked).put("tookMillis", tookMillis);
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
        .description("Cards whose map entry differed from PostgreSQL at the last check (-1: none yet)").register(meters);
    Gauge.builder("gateway_map_consistency_checked_cards", lastChecked, AtomicLong::get)
        .description("Cards compared by the last consistency check").register(meters);
    Gauge.builder("gateway_map_consistency_last_check_timestamp_seconds", lastCheckEpochSeconds, AtomicLong::get)
        .description("When the last consistency check ended (epoch seconds)").register(meters);
  }

  /** Every card of the table (and the map's count against it). */
  public Future<Report> full() {
    long started = System.nanoTime();
    Tally tally = new Tally();
    return pool.withTransaction(connection -> connection.prepare(CardStatusSql.ALL_CARDS).compose(statement -> {
          Cursor cursor = statement.cursor();
          Promise<Void> done = Promise.promise();
          readBatches(cursor, tally, done);
          return done.future().eventually(() -> cursor.close().eventually(statement::close));
        }))
        .compose(read -> recheck(tally))
        .map(mismatches -> finish("full", tally, mismatches, Math.max(0, map.size() - tally.present), started));
  }

  /** About {@code cards} cards, whole pages picked at random. */
  public Future<Report> sample(int cards) {
    long started = System.nanoTime();
    Tally tally = new Tally();
    return pool.query(CardStatusSql.CARD_ESTIMATE).execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(estimate -> {
          double percent = estimate <= cards ? 100.0 : Math.min(100.0, 100.0 * cards * 1.2 / estimate);
          return pool.preparedQuery(CardStatusSql.SAMPLE_CARDS).execute(Tuple.of(percent, cards));
        })
        .onSuccess(rows -> compare(rows, tally))
        .compose(rows -> recheck(tally))
        .map(mismatches -> finish("sample", tally, mismatches, 0, started));
  }

  private Report finish(String mode, Tally tally, List<Long> mismatches, long extraInMap, long started) {
    long missing = mismatches.stream().filter(card -> !map.lookup(card, new CardKey(), new CardStatus())).count();
    Report report = new Report(mode, tally.checked, mismatches.size(), missing, extraInMap,
        mismatches.subList(0, Math.min(EXAMPLES, mismatches.size())), (System.nanoTime() - started) / 1_000_000);
    lastMismatches.set(report.mismatches());
    lastChecked.set(report.checked());
    lastCheckEpochSeconds.set(System.currentTimeMillis() / 1000);
    return report;
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

  private void compare(RowSet<Row> rows, Tally tally) {
    CardKey key = new CardKey();
    CardStatus inMap = new CardStatus();
    CardStatus inDatabase = new CardStatus();
    for (Row row : rows) {
      long card = CardStatusRows.card(row);
      tally.checked++;
      boolean known = map.lookup(card, key, inMap);
      if (known) {
        tally.present++;
      }
      if (!known || !inMap.equals(CardStatusRows.read(row, inDatabase))) {
        tally.suspects.add(card);
      }
    }
  }

  /** Reads the suspects again a moment later: only those that still differ are mismatches. */
  private Future<List<Long>> recheck(Tally tally) {
    if (tally.suspects.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(RECHECK_MILLIS, id -> later.complete());
    return later.future()
        .compose(waited -> pool.preparedQuery(CardStatusSql.SOME_CARDS).execute(Tuple.of(tally.suspects.toArray(Long[]::new))))
        .map(rows -> {
          Tally again = new Tally();
          compare(rows, again);
          return again.suspects;
        });
  }

  private static final class Tally {
    long checked;
    long present;
    final List<Long> suspects = new ArrayList<>();
  }
}
