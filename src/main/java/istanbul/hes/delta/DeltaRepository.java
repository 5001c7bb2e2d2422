package istanbul.hes.delta;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.keys.PersonKeys;
import java.time.Instant;
import java.util.List;

/**
 * The feed position and the effects of a run of deltas, in one transaction of the
 * {@link CardStatusStore}: the position moves from where the run starts to where it ends (or the
 * transaction gives up, when another node moved it first), the people's risks are upserted by
 * identity hash (people without a card included), unreadable deltas are recorded as rejected, and
 * every card of the people is recomputed, so PostgreSQL and the map follow at once.
 */
public final class DeltaRepository {
  static final String CAUSE = "DELTA";

  private final Pool pool;
  private final CardStatusStore store;
  private final PersonKeys personKeys;

  public DeltaRepository(Pool pool, CardStatusStore store, PersonKeys personKeys) {
    this.pool = pool;
    this.store = store;
    this.personKeys = personKeys;
  }

  /** Where ingestion stands. */
  public record Cursor(long lastApplied, Instant appliedAt) {}

  /**
   * A run ready to apply: one final risk per person (their hashes, their sealed identity), and the
   * rejected deltas.
   */
  public record Prepared(long from, long to, PersonKeys.PeopleHashes people, List<byte[]> sealedIdentities, List<Boolean> risky,
      List<Long> rejectedSeqs, List<String> rejectReasons) {}

  /** What a run did: deltas applied (readable ones), cards whose status changed. */
  public record Applied(long lastApplied, int deltas, int changedCards) {}

  /** Another node applied these deltas first; nothing was changed here. */
  public static final class CursorMoved extends RuntimeException {
    CursorMoved(long expected) {
      super("the feed position is no longer " + expected + ": another node applied these deltas", null, false, false);
    }
  }

  public Future<Cursor> cursor() {
    return pool.preparedQuery(DeltaSql.CURSOR).execute(Tuple.of(DeltaSql.FEED)).map(rows -> {
      Row row = rows.iterator().next();
      return new Cursor(row.getLong(0), row.getOffsetDateTime(1).toInstant());
    });
  }

  public Future<Applied> apply(Prepared run, int readableDeltas) {
    Buffer[] hashes = run.people().current();
    Buffer[] sealed = run.sealedIdentities().stream().map(Buffer::buffer).toArray(Buffer[]::new);
    Boolean[] risky = run.risky().toArray(Boolean[]::new);
    return store.inTransaction(transaction -> {
      SqlConnection connection = transaction.connection();
      return connection.preparedQuery(DeltaSql.ADVANCE).execute(Tuple.of(DeltaSql.FEED, run.from(), run.to()))
          .compose(advanced -> advanced.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(new CursorMoved(run.from())))
          .compose(ignored -> hashes.length == 0 ? Future.succeededFuture(new long[0])
              : connection.preparedQuery(DeltaSql.LOCK_CARDS_OF_PEOPLE).execute(Tuple.tuple().addValue(run.people().lookup())).map(rows -> {
                long[] cards = new long[rows.size()];
                int i = 0;
                for (Row row : rows) {
                  cards[i++] = row.getLong(0);
                }
                return cards;
              }))
          // After the cards' locks, as every writer: the people to the current hash key, then their risks under it.
          .compose(cards -> personKeys.movePeople(connection, run.people())
              .compose(moved -> hashes.length == 0 ? Future.<Void>succeededFuture()
                  : connection.preparedQuery(DeltaSql.UPSERT_RISK)
                      .execute(Tuple.of(hashes, risky, (short) personKeys.hashKeyId(), sealed)).<Void>mapEmpty())
              .compose(ignored -> run.rejectedSeqs().isEmpty() ? Future.<Void>succeededFuture()
                  : connection.preparedQuery(DeltaSql.REJECT).execute(Tuple.tuple()
                      .addValue(run.rejectedSeqs().toArray(Long[]::new)).addValue(run.rejectReasons().toArray(String[]::new)))
                      .<Void>mapEmpty())
              .compose(ignored -> cards.length == 0 ? Future.succeededFuture(List.of()) : transaction.recomputeLocked(cards, CAUSE))
              .map(changed -> new Applied(run.to(), readableDeltas, changed.size())));
    });
  }
}
