package istanbul.hes.hotlist;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.config.AnonymousPolicy;
import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.RulePhases;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Hotlists from PostgreSQL, the same on every node (a validator may ask any node with the
 * version another gave it). A version is a cut of the change log (see {@link HotlistSql}). A full
 * list reads the denied cards through two partial indexes in one snapshot; the changes since a
 * version are the exact difference of the two lists, from the change log. Answers are kept per
 * (since, current version), encodings made once per form on a worker, so a thousand validators
 * asking for the same list cost one query and one encoding; identical requests arriving together
 * share them.
 */
final class HotlistSource {
  private static final int KEPT = 64;

  private final Vertx vertx;
  private final Pool pool;
  private final ZoneId zone;
  private final Clock clock;
  private final RulePhases phases;
  private final Map<String, Prepared> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
      return size() > KEPT;
    }
  };

  HotlistSource(Vertx vertx, Pool pool, ZoneId zone, Clock clock, RulePhases phases) {
    this.vertx = vertx;
    this.pool = pool;
    this.zone = zone;
    this.clock = clock;
    this.phases = phases;
  }

  /** A list and its encodings, each made at most once. */
  final class Prepared {
    final Future<Hotlist> list;
    private Future<byte[]> json;
    private Future<byte[]> binary;

    Prepared(Future<Hotlist> list) {
      this.list = list;
    }

    synchronized Future<byte[]> encoded(boolean binaryForm) {
      if (binaryForm) {
        if (binary == null) {
          binary = list.compose(ready -> vertx.executeBlocking(() -> HotlistEncoding.binary(ready, anonymousPolicy(ready)), false));
        }
        return binary;
      }
      if (json == null) {
        json = list.compose(ready -> vertx.executeBlocking(() -> HotlistEncoding.json(ready, anonymousPolicy(ready)), false));
      }
      return json;
    }
  }

  /** What anonymous cards get under the phases of the list's version. */
  private static AnonymousPolicy anonymousPolicy(Hotlist list) {
    return list.version().anonymousAllowed() ? AnonymousPolicy.ALLOW : AnonymousPolicy.DENY;
  }

  LocalDate today() {
    return LocalDate.now(clock.withZone(zone));
  }

  /** The version a list made now would have (one index probe: what conditional requests cost). */
  Future<HotlistVersion> current() {
    LocalDate today = today();
    RulePhases.Modes modes = phases.modes();
    return pool.query(HotlistSql.VERSION).execute().map(rows -> version(rows.iterator().next().getLong(0), today, modes));
  }

  private static HotlistVersion version(long transaction, LocalDate day, RulePhases.Modes modes) {
    return new HotlistVersion(transaction, day, modes.personalized() != RuleMode.ENFORCE, modes.anonymous() != RuleMode.ENFORCE);
  }

  /** The full list, or the changes since {@code since} when the change log still covers it. */
  Prepared list(Optional<HotlistVersion> since, HotlistVersion current) {
    String key = since.map(HotlistVersion::toString).orElse("full") + ">" + current;
    synchronized (kept) {
      Prepared prepared = kept.get(key);
      if (prepared == null || prepared.list.failed()) {
        prepared = new Prepared(since.isEmpty() ? full(current) : changesOrFull(since.get(), current));
        kept.put(key, prepared);
      }
      return prepared;
    }
  }

  private Future<Hotlist> changesOrFull(HotlistVersion since, HotlistVersion current) {
    if (since.legacy() || since.day().isAfter(current.day()) || since.logTransaction() > current.logTransaction()
        || !since.samePhases(current)) {
      return full(current); // an earlier form, another clock, another database or other phases: start over
    }
    if (since.logTransaction() == 0) {
      return changes(since, current);
    }
    return pool.preparedQuery(HotlistSql.VERSION_KNOWN).execute(Tuple.of(since.logTransaction()))
        .compose(rows -> rows.iterator().next().getBoolean(0) ? changes(since, current) : full(current));
  }

  /**
   * The cards as this snapshot sees them, except those changed after the version's cut (committed
   * while an older transaction still ran), which are taken as they were at the cut: the list is
   * exactly the one of its version, whatever commits later with a transaction id below the next cut.
   */
  private Future<Hotlist> full(HotlistVersion current) {
    LocalDate today = current.day();
    HotlistSql.Rule rule = current.blocksOnly() ? HotlistSql.BLOCKS_ONLY : HotlistSql.ENFORCED;
    return inSnapshot(connection -> version(connection, current).compose(version ->
        connection.preparedQuery(rule.alwaysDenied()).execute().compose(always ->
            (rule.expired() == null ? Future.succeededFuture(new long[0])
                : connection.preparedQuery(rule.expired()).execute(Tuple.of(today)).map(expired -> longs(expired.iterator().next())))
                .compose(expired ->
                connection.preparedQuery(rule.afterCut()).execute(Tuple.of(version.logTransaction(), today)).map(late -> {
                  long[] listed = merge(longs(always.iterator().next()), expired);
                  return new Hotlist(version, null, atCut(listed, late), new long[0]);
                })))));
  }

  /**
   * {@code listed} (ascending) with the membership of the cards in {@code late} (card, denied at
   * the cut) put in place of theirs: one pass, no boxing (a list may hold a million cards).
   */
  private static long[] atCut(long[] listed, RowSet<Row> late) {
    if (late.size() == 0) {
      return listed;
    }
    long[] lateCards = new long[late.size()];
    long[] lateDenied = new long[late.size()];
    int count = 0;
    int denied = 0;
    for (Row row : late) {
      lateCards[count++] = row.getLong(0);
      if (row.getBoolean(1)) {
        lateDenied[denied++] = row.getLong(0);
      }
    }
    Arrays.sort(lateCards);
    long[] kept = new long[listed.length];
    int keptCount = 0;
    int next = 0;
    for (long card : listed) {
      while (next < count && lateCards[next] < card) {
        next++;
      }
      if (next == count || lateCards[next] != card) {
        kept[keptCount++] = card;
      }
    }
    long[] deniedAtCut = Arrays.copyOf(lateDenied, denied);
    Arrays.sort(deniedAtCut);
    return merge(Arrays.copyOf(kept, keptCount), deniedAtCut);
  }

  /**
   * The difference between the list at {@code since} and the list now. A card whose membership at
   * {@code since} is not known (its first log row predates the log's previous inputs) makes it
   * the full list instead.
   */
  private Future<Hotlist> changes(HotlistVersion since, HotlistVersion current) {
    LocalDate today = current.day();
    HotlistSql.Rule rule = current.blocksOnly() ? HotlistSql.BLOCKS_ONLY : HotlistSql.ENFORCED;
    return inSnapshot(connection -> version(connection, current).compose(version ->
        connection.preparedQuery(rule.changes())
            .execute(Tuple.of(since.logTransaction(), since.day(), version.logTransaction(), today)).map(rows -> {
              long[] added = new long[rows.size()];
              long[] removed = new long[rows.size()];
              int adds = 0;
              int removes = 0;
              for (Row row : rows) {
                Boolean now = row.getBoolean(1);
                Boolean then = row.getBoolean(2);
                if (now == null || then == null) {
                  return null;
                }
                if (now && !then) {
                  added[adds++] = row.getLong(0);
                } else if (!now && then) {
                  removed[removes++] = row.getLong(0);
                }
              }
              return new Hotlist(version, since, Arrays.copyOf(added, adds), Arrays.copyOf(removed, removes));
            }))).compose(changes -> changes != null ? Future.succeededFuture(changes) : full(current));
  }

  /** The cut this snapshot sees, with the phases {@code current} was made under (the list follows those). */
  private static Future<HotlistVersion> version(SqlConnection connection, HotlistVersion current) {
    return connection.query(HotlistSql.VERSION).execute().map(rows -> new HotlistVersion(rows.iterator().next().getLong(0),
        current.day(), current.blocksOnly(), current.anonymousAllowed()));
  }

  private <T> Future<T> inSnapshot(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(connection -> connection.query(HotlistSql.REPEATABLE_READ).execute().compose(set -> work.apply(connection)));
  }

  private static long[] longs(Row row) {
    Long[] boxed = row.getArrayOfLongs(0);
    long[] plain = new long[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      plain[i] = boxed[i];
    }
    return plain;
  }

  /** Two ascending, disjoint lists as one ascending list. */
  static long[] merge(long[] a, long[] b) {
    long[] merged = new long[a.length + b.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.length && j < b.length) {
      merged[k++] = a[i] <= b[j] ? a[i++] : b[j++];
    }
    while (i < a.length) {
      merged[k++] = a[i++];
    }
    while (j < b.length) {
      merged[k++] = b[j++];
    }
    return merged;
  }
}
