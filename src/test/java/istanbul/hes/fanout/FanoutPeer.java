package istanbul.hes.fanout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.CardStatusUpdate;
import istanbul.hes.cardstore.StatusTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Another node of a test environment's cluster, as the running nodes see one: it commits card
 * changes through a status store of its own (PostgreSQL and the change log; it has no map) and
 * publishes each commit on the cluster's status stream in the fan-out's own format, so every
 * running node applies it as it applies a peer's. Tests change cards this way instead of reaching
 * into a node.
 */
public final class FanoutPeer implements AutoCloseable {
  private final Pool pool;
  private final Redis redis;
  private final CardStatusStream stream;
  private final String publisher = "test-peer/" + UUID.randomUUID().toString().substring(0, 8);
  private final CardStatusStore store;
  private volatile Future<List<CardStatusUpdate>> lastPublished = Future.succeededFuture(List.of());

  /** What a commit returned, and the changes it published. */
  public record Committed<T>(T result, List<CardStatusUpdate> updates) {}

  public FanoutPeer(Vertx vertx, Pool pool, String redisUrl, String keyPrefix, long streamMaxEntries) {
    this.pool = pool;
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
    this.stream = new CardStatusStream(keyPrefix + "card-status", streamMaxEntries);
    this.store = new CardStatusStore(pool, new CardStatusMap());
    store.onCommitted(updates -> lastPublished = publish(updates).map(updates));
  }

  /**
   * This peer's status store, for a feature a test runs "on another node" (a repository, say):
   * each commit is published; {@link #lastPublished()} says when and what.
   */
  public CardStatusStore store() {
    return store;
  }

  /** The changes of the last commit through {@link #store()}, once Redis took them. */
  public Future<List<CardStatusUpdate>> lastPublished() {
    return lastPublished;
  }

  /** Runs {@code work} in one transaction; once committed, publishes its changes (when there are any). */
  public <T> Future<Committed<T>> commit(Function<StatusTransaction, Future<T>> work) {
    CardStatusStore store = new CardStatusStore(pool, new CardStatusMap());
    List<CardStatusUpdate> committed = new ArrayList<>();
    store.onCommitted(committed::addAll);
    return store.inTransaction(work).compose(result -> committed.isEmpty()
        ? Future.succeededFuture(new Committed<>(result, List.of()))
        : publish(committed).map(published -> new Committed<>(result, List.copyOf(committed))));
  }

  /**
   * Publishes changes no transaction committed, as a faulty peer would: how a node's map comes to
   * disagree with PostgreSQL, for the tests of the operators' consistency check.
   */
  public Future<Void> publishUncommitted(List<CardStatusUpdate> updates) {
    return publish(updates);
  }

  private Future<Void> publish(List<CardStatusUpdate> updates) {
    return store.installationId().compose(installation -> publishAs(installation, updates));
  }

  /**
   * Publishes changes as a node of another installation sharing this Redis and key prefix would
   * (its own database, its own card numbers and versions).
   */
  public Future<Void> publishAsAnotherInstallation(String installation, List<CardStatusUpdate> updates) {
    return publishAs(installation, updates);
  }

  private Future<Void> publishAs(String installation, List<CardStatusUpdate> updates) {
    return redis.send(stream.publish(publisher, installation, StatusUpdatesCodec.encode(updates))).mapEmpty();
  }

  @Override
  public void close() {
    redis.close();
  }
}
