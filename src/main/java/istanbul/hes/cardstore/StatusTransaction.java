package istanbul.hes.cardstore;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL transaction of a feature that changes cards' decision inputs. The feature writes
 * its own records through {@link #connection()}, then asks for the affected cards to be
 * recomputed; the store applies the results to the map after the commit, never before.
 */
public final class StatusTransaction {
  private final SqlConnection connection;
  private final List<CardStatusUpdate> updates = new ArrayList<>();

  StatusTransaction(SqlConnection connection) {
    this.connection = connection;
  }

  public SqlConnection connection() {
    return connection;
  }

  /**
   * Locks the cards, derives their decision inputs from the records as this transaction sees
   * them, and logs each card whose inputs changed under a new version.
   *
   * @param cause short upper-case word saying why, stored in the change log (e.g. OPERATOR_BLOCK)
   * @return the cards that changed, with their new status
   */
  public Future<List<CardStatusUpdate>> recompute(long[] cards, String cause) {
    Long[] boxed = boxed(cards);
    return connection.preparedQuery(CardStatusSql.LOCK_CARDS).execute(Tuple.of(boxed))
        .compose(locked -> derive(boxed, cause));
  }

  /**
   * As {@link #recompute}, for cards this transaction has already locked in card order (a
   * second lock of thousands of rows would only cost a round trip and a pass over them).
   */
  public Future<List<CardStatusUpdate>> recomputeLocked(long[] cards, String cause) {
    return derive(boxed(cards), cause);
  }

  /**
   * As {@link #recomputeLocked}, the cards also losing their owner in the same update (a person's
   * erasure; the owner row can be deleted after it).
   */
  public Future<List<CardStatusUpdate>> recomputeUnowningLocked(long[] cards, String cause) {
    return derive(CardStatusSql.RECOMPUTE_UNOWNING, boxed(cards), cause);
  }

  private static Long[] boxed(long[] cards) {
    Long[] boxed = new Long[cards.length];
    for (int i = 0; i < cards.length; i++) {
      boxed[i] = cards[i];
    }
    return boxed;
  }

  private Future<List<CardStatusUpdate>> derive(Long[] boxed, String cause) {
    return derive(CardStatusSql.RECOMPUTE, boxed, cause);
  }

  private Future<List<CardStatusUpdate>> derive(String statement, Long[] boxed, String cause) {
    return connection.preparedQuery(statement).execute(Tuple.of(boxed, cause))
        .map(rows -> {
          List<CardStatusUpdate> changed = new ArrayList<>(rows.rowCount());
          for (Row row : rows) {
            changed.add(CardStatusRows.update(row));
          }
          updates.addAll(changed);
          return changed;
        });
  }

  List<CardStatusUpdate> updates() {
    return updates;
  }
}
