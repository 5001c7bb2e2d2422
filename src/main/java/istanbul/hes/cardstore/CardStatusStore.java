package istanbul.hes.cardstore;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The status API every feature changes cards through: PostgreSQL first, then the map. A change
 * is committed (records, derived inputs, change log) before any node serves it, so a crash can
 * lose at most the map's copy, which the change log restores.
 */
public final class CardStatusStore {
  /** From this many changes on, a transaction's map writes run on a worker, not on the event loop. */
  static final int OFF_LOOP_UPDATES = 256;

  private final Pool pool;
  private final CardStatusMap map;
  private final List<Consumer<List<CardStatusUpdate>>> listeners = new CopyOnWriteArrayList<>();

  public CardStatusStore(Pool pool, CardStatusMap map) {
    this.pool = pool;
    this.map = map;
  }

  public CardStatusMap map() {
    return map;
  }

  /**
   * Runs {@code work} in one transaction; after it commits, every status it recomputed is
   * applied to this node's map and handed to the listeners (fan-out to other nodes), before the
   * returned future completes.
   */
  public <T> Future<T> inTransaction(Function<StatusTransaction, Future<T>> work) {
    StatusTransaction[] transaction = new StatusTransaction[1];
    return pool.withConnection(connection -> {
      // BEGIN is not waited for: the work's first statements go out with it (the client pipelines
      // them on the connection; the server runs them in order, inside the transaction). A status
      // change is a few round trips, not one per statement.
      Future<Transaction> begun = connection.begin();
      transaction[0] = new StatusTransaction(connection);
      Future<T> done;
      try {
        done = work.apply(transaction[0]);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      Future<T> worked = done;
      return Future.join(begun, worked).transform(settled -> {
        if (begun.failed()) {
          return Future.failedFuture(begun.cause());
        }
        return worked.succeeded() ? begun.result().commit().map(worked.result())
            : begun.result().rollback().transform(ignored -> Future.failedFuture(worked.cause()));
      });
    }).compose(result -> {
      List<CardStatusUpdate> updates = transaction[0].updates();
      if (updates.isEmpty()) {
        return Future.succeededFuture(result);
      }
      Context context = Vertx.currentContext();
      if (updates.size() < OFF_LOOP_UPDATES || context == null) {
        applyCommitted(updates);
        listeners.forEach(listener -> listener.accept(updates));
        return Future.succeededFuture(result);
      }
      // Thousands of map writes (a page of risk deltas) would hold the event loop that taps are
      // answered on for milliseconds; versions decide which write wins, so the order across
      // transactions does not matter.
      return context.executeBlocking(() -> applyCommitted(updates), false).map(applied -> {
        listeners.forEach(listener -> listener.accept(updates));
        return result;
      });
    });
  }

  /** Recomputes the given cards in a transaction of their own. */
  public Future<List<CardStatusUpdate>> recompute(long[] cards, String cause) {
    return inTransaction(transaction -> transaction.recompute(cards, cause));
  }

  /**
   * Applies committed updates to this node's map: those of this node's transactions, and those
   * that reached it from elsewhere (other nodes, the change log). Stale versions are ignored.
   *
   * @return how many entries changed (the others were stale or already there)
   */
  public int applyCommitted(List<CardStatusUpdate> updates) {
    if (!map.open()) {
      return 0; // the loader's catch-up from the change log will bring them in
    }
    CardStatus scratch = new CardStatus();
    int applied = 0;
    for (CardStatusUpdate update : updates) {
      if (map.applyIfNewer(update.card(), update.toStatus(scratch))) {
        applied++;
      }
    }
    return applied;
  }

  /** Called with the updates of every transaction committed on this node. */
  public void onCommitted(Consumer<List<CardStatusUpdate>> listener) {
    listeners.add(listener);
  }

  /** The status PostgreSQL holds for a card (operators, consistency checks, tests). */
  public Future<Optional<CardStatusUpdate>> fromDatabase(long card) {
    return pool.preparedQuery(CardStatusSql.ONE_CARD).execute(Tuple.of(card)).map(rows -> {
      RowIterator<Row> iterator = rows.iterator();
      return iterator.hasNext() ? Optional.of(CardStatusRows.update(iterator.next())) : Optional.empty();
    });
  }

  /**
   * The id of the installation this database belongs to (made once by the migrations): nodes of
   * one installation share it, another installation's differs even where its card numbers repeat.
   */
  public Future<String> installationId() {
    return pool.query(CardStatusSql.INSTALLATION_ID).execute().map(rows -> rows.iterator().next().getString(0));
  }

  public Future<Long> cardCount() {
    return pool.query(CardStatusSql.CARD_COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
  }
}
