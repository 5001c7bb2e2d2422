package istanbul.hes.statistics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.tap.TapOutcome;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics in PostgreSQL: what nodes flush, the duties one node does at a time (a day's
 * final population snapshot, today's live one, compacting ended days), and the exact figures of a
 * period. Heavy counting (unions of bitmaps) runs on a worker, never on an event loop.
 */
final class StatisticsStore {
  private final Vertx vertx;
  private final Pool pool;

  StatisticsStore(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** One day's share of a flush: the cards new to this node per set, and the taps by outcome. */
  record DayWrite(int day, Map<CardSet, IntList> added, long[] taps) {
    boolean isEmpty() {
      for (long count : taps) {
        if (count != 0) {
          return false;
        }
      }
      return added.values().stream().allMatch(IntList::isEmpty);
    }
  }

  /** Writes a flush in one transaction: all of it, or nothing (the caller gives it back then). */
  Future<Void> flush(String node, List<DayWrite> writes) {
    List<Tuple> deltas = new ArrayList<>();
    List<LocalDate> days = new ArrayList<>();
    List<String> decisions = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<String> modes = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (DayWrite write : writes) {
      LocalDate day = LocalDate.ofEpochDay(write.day());
      write.added().forEach((set, indexes) -> {
        if (!indexes.isEmpty()) {
          deltas.add(Tuple.of(day, set.id, node, indexes.boxed()));
        }
      });
      for (TapOutcome outcome : TapOutcome.all()) {
        long count = write.taps()[outcome.ordinal()];
        if (count != 0) {
          days.add(day);
          decisions.add(outcome.decision().name());
          reasons.add(outcome.reason().name());
          modes.add(outcome.mode().name());
          counts.add(count);
        }
      }
    }
    if (deltas.isEmpty() && counts.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(connection -> {
      Future<?> deltasWritten = deltas.isEmpty() ? Future.succeededFuture()
          : connection.preparedQuery(StatisticsSql.INSERT_DELTA).executeBatch(deltas);
      return deltasWritten.compose(done -> counts.isEmpty() ? Future.succeededFuture()
          : connection.preparedQuery(StatisticsSql.ADD_TAPS).execute(Tuple.of(days.toArray(LocalDate[]::new),
              decisions.toArray(String[]::new), reasons.toArray(String[]::new), modes.toArray(String[]::new), counts.toArray(Long[]::new))))
          .mapEmpty();
    });
  }

  /**
   * The duties one node does at a time (the others find the lock taken and skip): yesterday's
   * final population snapshot if it has none, today's live one if older than
   * {@code liveRefreshSeconds}, then each ended day whose lists nobody wrote to for
   * {@code compactAfterSeconds}, compacted in a transaction of its own.
   *
   * @return the days compacted
   */
  Future<Integer> duties(String node, int today, int liveRefreshSeconds, int compactAfterSeconds) {
    LocalDate todayDate = LocalDate.ofEpochDay(today);
    LocalDate yesterday = todayDate.minusDays(1);
    return pool.withTransaction(connection -> locked(connection).compose(locked -> {
      if (!locked) {
        return Future.succeededFuture(List.<LocalDate>of());
      }
      return connection.preparedQuery(StatisticsSql.HAS_FINAL_SNAPSHOT).execute(Tuple.of(yesterday))
          .compose(rows -> rows.iterator().next().getBoolean(0) ? Future.succeededFuture()
              : snapshot(connection, yesterday, false))
          .compose(done -> connection.preparedQuery(StatisticsSql.LIVE_SNAPSHOT_STALE).execute(Tuple.of(todayDate, liveRefreshSeconds)))
          .compose(rows -> rows.size() > 0 && !rows.iterator().next().getBoolean(0) ? Future.succeededFuture()
              : snapshot(connection, todayDate, true))
          .compose(done -> connection.preparedQuery(StatisticsSql.DAYS_TO_COMPACT).execute(Tuple.of(todayDate, compactAfterSeconds)))
          .map(rows -> {
            List<LocalDate> due = new ArrayList<>();
            rows.forEach(row -> due.add(row.getLocalDate(0)));
            return due;
          });
    })).compose(due -> {
      Future<Integer> compacted = Future.succeededFuture(0);
      for (LocalDate day : due) {
        compacted = compacted.compose(count -> compact(node, day).map(done -> done ? count + 1 : count));
      }
      return compacted;
    });
  }

  private static Future<Boolean> locked(SqlConnection connection) {
    return connection.query(StatisticsSql.TRY_LOCK).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }

  private static Future<Void> snapshot(SqlConnection connection, LocalDate day, boolean live) {
    return connection.preparedQuery(StatisticsSql.POPULATION).execute(Tuple.of(day)).compose(rows -> {
      Row row = rows.iterator().next();
      return connection.preparedQuery(StatisticsSql.UPSERT_POPULATION).execute(Tuple.of(day, live, row.getLong(0),
          row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)).addLong(row.getLong(5)).addLong(row.getLong(6)));
    }).mapEmpty();
  }

  /** Merges a day's lists into its bitmaps and its month's, and removes them, in one transaction. */
  private Future<Boolean> compact(String node, LocalDate day) {
    LocalDate month = day.withDayOfMonth(1);
    return pool.withTransaction(connection -> locked(connection).compose(locked -> {
      if (!locked) {
        return Future.succeededFuture(false);
      }
      return connection.preparedQuery(StatisticsSql.TAKE_DELTAS).execute(Tuple.of(day)).compose(rows -> {
        Map<CardSet, List<byte[]>> lists = new EnumMap<>(CardSet.class);
        for (Row row : rows) {
          lists.computeIfAbsent(CardSet.ALL[row.getShort(0)], set -> new ArrayList<>())
              .add(row.getBuffer(1).getBytes());
        }
        Future<Void> merged = Future.succeededFuture();
        for (Map.Entry<CardSet, List<byte[]>> entry : lists.entrySet()) {
          merged = merged.compose(done -> vertx.executeBlocking(() -> bitmapsOf(entry.getValue()))
              .compose(bitmaps -> mergeInto(connection, StatisticsSql.DAY_CHUNKS_FOR_UPDATE, StatisticsSql.UPSERT_DAY_CHUNKS, day,
                  entry.getKey(), bitmaps)
                  // The day's count grows by the cards its bitmaps did not hold: reading a day's figure never reads its bitmaps.
                  .compose(added -> connection.preparedQuery(StatisticsSql.ADD_DAY_COUNT).execute(Tuple.of(day, entry.getKey().id, added)))
                  .compose(ignored -> mergeInto(connection, StatisticsSql.MONTH_CHUNKS_FOR_UPDATE, StatisticsSql.UPSERT_MONTH_CHUNKS,
                      month, entry.getKey(), bitmaps))
                  .<Void>mapEmpty()));
        }
        return merged.compose(done -> connection.preparedQuery(StatisticsSql.MARK_COMPACTED).execute(Tuple.of(day, node)))
            .map(done -> true);
      });
    }));
  }

  private static ChunkBitmaps bitmapsOf(List<byte[]> lists) {
    ChunkBitmaps bitmaps = new ChunkBitmaps();
    for (byte[] list : lists) {
      IndexLists.forEach(list, bitmaps::add);
    }
    return bitmaps;
  }

  /**
   * ORs the new bits into the stored rows of the touched chunks (locked), and writes them back.
   *
   * @return how many cards were not in the stored rows yet
   */
  private Future<Long> mergeInto(SqlConnection connection, String select, String upsert, LocalDate key, CardSet set,
      ChunkBitmaps fresh) {
    Integer[] chunks = fresh.chunks().keySet().toArray(Integer[]::new);
    long[] added = new long[1];
    return connection.preparedQuery(select).execute(Tuple.of(key, set.id, chunks)).compose(rows -> {
      Map<Integer, byte[]> stored = new HashMap<>();
      rows.forEach(row -> stored.put(row.getInteger(0), row.getBuffer(1).getBytes()));
      return vertx.executeBlocking(() -> {
        ChunkBitmaps union = new ChunkBitmaps();
        stored.forEach(union::or);
        long before = union.count();
        fresh.chunks().forEach(union::or);
        added[0] = union.count() - before;
        return union;
      });
    }).compose(union -> {
      Map<Integer, byte[]> used = union.chunks();
      Integer[] numbers = used.keySet().toArray(Integer[]::new);
      Buffer[] bits = new Buffer[numbers.length];
      for (int i = 0; i < numbers.length; i++) {
        bits[i] = Buffer.buffer(used.get(numbers[i]));
      }
      return connection.preparedQuery(upsert).execute(Tuple.of(key, set.id, numbers, bits)).map(done -> added[0]);
    });
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The exact number of distinct cards of each set over {@code from}…{@code to}: bitmaps and lists, as a union. */
  Future<Map<CardSet, Long>> distinct(LocalDate from, LocalDate to) {
    Map<CardSet, Long> counts = new EnumMap<>(CardSet.class);
    Future<Void> all = Future.succeededFuture();
    for (CardSet set : CardSet.ALL) {
      all = all.compose(done -> union(from, to, set).compose(union -> vertx.executeBlocking(union::count)).map(count -> {
        counts.put(set, count);
        return null;
      }));
    }
    return all.map(done -> counts);
  }

  /** The cards of {@code set} over {@code from}…{@code to}: the whole months' bitmaps, the other days' bitmaps and the lists not compacted yet. */
  Future<ChunkBitmaps> union(LocalDate from, LocalDate to, CardSet set) {
    List<LocalDate> wholeMonths = new ArrayList<>();
    for (YearMonth month = YearMonth.from(from); !month.atDay(1).isAfter(to); month = month.plusMonths(1)) {
      if (!month.atDay(1).isBefore(from) && !month.atEndOfMonth().isAfter(to)) {
        wholeMonths.add(month.atDay(1));
      }
    }
    LocalDate[] months = wholeMonths.toArray(LocalDate[]::new);
    return inSnapshot(connection ->
        connection.preparedQuery(StatisticsSql.MONTH_BITMAPS).execute(Tuple.of(months, set.id))
            .compose(monthRows -> connection.preparedQuery(StatisticsSql.DAY_BITMAPS).execute(Tuple.of(from, to, months, set.id))
                .compose(dayRows -> connection.preparedQuery(StatisticsSql.DELTAS).execute(Tuple.of(from, to, set.id))
                    .compose(deltaRows -> vertx.executeBlocking(() -> {
                      ChunkBitmaps union = new ChunkBitmaps();
                      monthRows.forEach(row -> union.or(row.getInteger(0), row.getBuffer(1).getBytes()));
                      dayRows.forEach(row -> union.or(row.getInteger(0), row.getBuffer(1).getBytes()));
                      for (Row row : deltaRows) {
                        IndexLists.forEach(row.getBuffer(0).getBytes(), union::add);
                      }
                      return union;
                    })))));
  }

  /** Distinct cards per day and set over {@code from}…{@code to}. */
  Future<Map<LocalDate, Map<CardSet, Long>>> distinctPerDay(LocalDate from, LocalDate to) {
    Map<LocalDate, Map<CardSet, Long>> perDay = new HashMap<>();
    Tuple range = Tuple.of(from, to);
    return inSnapshot(connection -> connection.preparedQuery(StatisticsSql.DAY_BITMAP_COUNTS).execute(range)
        .compose(bitmapRows -> {
          bitmapRows.forEach(row -> perDay.computeIfAbsent(row.getLocalDate(0), d -> new EnumMap<>(CardSet.class))
              .merge(CardSet.ALL[row.getShort(1)], row.getLong(2), Long::sum));
          return connection.preparedQuery(StatisticsSql.DAY_DELTA_COUNTS).execute(range);
        })
        .compose(deltaRows -> {
          deltaRows.forEach(row -> perDay.computeIfAbsent(row.getLocalDate(0), d -> new EnumMap<>(CardSet.class))
              .merge(CardSet.ALL[row.getShort(1)], row.getLong(2), Long::sum));
          return connection.preparedQuery(StatisticsSql.DAYS_WITH_BOTH).execute(range);
        }))
        .compose(bothRows -> {
          // A late write after the day was compacted: that day's figure is a union, not a sum.
          Future<Void> unions = Future.succeededFuture();
          for (Row row : bothRows) {
            LocalDate day = row.getLocalDate(0);
            unions = unions.compose(done -> distinct(day, day).map(counts -> {
              perDay.put(day, new EnumMap<>(counts));
              return null;
            }));
          }
          return unions;
        })
        .map(done -> perDay);
  }

  /**
   * Reads in one snapshot: a compaction committing between reading a day's bitmaps and its
   * lists would otherwise hide its cards from both.
   */
  private <T> Future<T> inSnapshot(java.util.function.Function<SqlConnection, Future<T>> reads) {
    return pool.withTransaction(connection -> connection.query(StatisticsSql.REPEATABLE_READ).execute()
        .compose(set -> reads.apply(connection)));
  }

  /** Taps per day by outcome. */
  Future<Map<LocalDate, long[]>> taps(LocalDate from, LocalDate to) {
    return pool.preparedQuery(StatisticsSql.TAPS).execute(Tuple.of(from, to)).map(rows -> {
      Map<LocalDate, long[]> perDay = new HashMap<>();
      for (Row row : rows) {
        TapOutcome outcome = outcome(row.getString(1), row.getString(2), row.getString(3));
        if (outcome != null) {
          perDay.computeIfAbsent(row.getLocalDate(0), d -> new long[TapOutcome.all().length])[outcome.ordinal()] += row.getLong(4);
        }
      }
      return perDay;
    });
  }

  private static TapOutcome outcome(String decision, String reason, String mode) {
    for (TapOutcome outcome : TapOutcome.all()) {
      if (outcome.decision().name().equals(decision) && outcome.reason().name().equals(reason) && outcome.mode().name().equals(mode)) {
        return outcome;
      }
    }
    return null;
  }

  /** The population snapshots of the days in the range. */
  Future<Map<LocalDate, Population>> populations(LocalDate from, LocalDate to) {
    return pool.preparedQuery(StatisticsSql.POPULATIONS).execute(Tuple.of(from, to)).map(rows -> {
      Map<LocalDate, Population> snapshots = new HashMap<>();
      for (Row row : rows) {
        snapshots.put(row.getLocalDate(0), new Population(row.getBoolean(1), row.getOffsetDateTime(2).toInstant(), row.getLong(3),
            row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9)));
      }
      return snapshots;
    });
  }
}
