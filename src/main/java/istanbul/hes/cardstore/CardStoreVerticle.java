package istanbul.hes.cardstore;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import istanbul.hes.config.CardStoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the map file for the node's lifetime. Deployed as a worker: opening, recovering and
 * rebuilding a multi-gigabyte file block for seconds to minutes. Its start completes as soon as
 * the file lock is held; loading goes on in the background and ends with the map ready, so the
 * node answers health checks (not ready) meanwhile.
 */
public final class CardStoreVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CardStoreVerticle.class);

  private final CardStoreConfig config;
  private final Pool pool;
  private final CardStatusMap map;
  private final Promise<MapLoad> loaded = Promise.promise();
  private CardMapFile file;
  private CardMapLoader loader;
  /** Catch-ups run one after another (each reads and records the position). */
  private Future<?> catchingUp = Future.succeededFuture();

  public CardStoreVerticle(CardStoreConfig config, Pool pool, CardStatusMap map) {
    this.config = config;
    this.pool = pool;
    this.map = map;
  }

  /** Completes when the map is ready, with what loading did. */
  public Future<MapLoad> loaded() {
    return loaded.future();
  }

  /** Set when the verticle stops: a load failing from then on is the stop's doing, not a fault. */
  private volatile boolean stopping;

  @Override
  public Future<?> start() throws Exception {
    file = CardMapFile.lock(config.mapFile(), config.expectedCards());
    loader = new CardMapLoader(pool, map, file, config.rebuildFetchRows());
    // Loading continues after start() returns: this context's worker thread runs it.
    vertx.runOnContext(ignored -> loader.load()
        .onSuccess(loaded::complete)
        .onFailure(failure -> {
          if (stopping) {
            // The node stops (or failed to start) while the map loads: the loader's own line says what the next start does.
            LOG.debug("card map load ended by the stop: {}", failure.toString());
          } else {
            LOG.error("the card map could not be loaded; the node stays not ready", failure);
          }
          loaded.fail(failure);
        }));
    return Future.succeededFuture();
  }

  /**
   * Applies what the change log holds beyond the position the map recorded, then records the new
   * position; the number of cards changed. Before the map is loaded there is nothing to do: the
   * load ends with its own catch-up.
   */
  public Future<Long> catchUpFromLog() {
    Promise<Long> applied = Promise.promise();
    context.runOnContext(ignored -> {
      if (!map.ready()) {
        applied.complete(0L);
        return;
      }
      Future<Long> next = catchingUp.transform(previous -> loader.catchUpFromRecordedPosition().map(CardMapLoader.CaughtUp::applied));
      catchingUp = next;
      next.onComplete(applied);
    });
    return applied.future();
  }

  @Override
  public Future<?> stop() throws Exception {
    stopping = true;
    try {
      loader.close();
    } finally {
      file.close();
    }
    return Future.succeededFuture();
  }
}
