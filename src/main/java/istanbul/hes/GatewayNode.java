package istanbul.hes;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import istanbul.hes.admin.AdminVerticle;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.CardStoreVerticle;
import istanbul.hes.cardstore.MapLoad;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.db.Database;
import istanbul.hes.embedded.EmbeddedServers;
import istanbul.hes.identity.DevelopmentKeys;
import istanbul.hes.metrics.NodeMetrics;
import istanbul.hes.tap.TapMetrics;
import istanbul.hes.tap.TapVerticle;
import istanbul.hes.tap.ValidatorClusters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: starts the embedded servers it needs, migrates the schema, creates the pools
 * once and hands them to one verticle per concern, in order (admin first, so health is
 * answered while the map loads; taps; then the card store, which loads the map).
 */
public final class GatewayNode {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final GatewayConfig config;
  private final Vertx vertx;
  private final NodeMetrics metrics;
  private final List<AutoCloseable> embedded;
  private String adminDeployment;
  private String tapDeployment;
  private String cardStoreDeployment;
  private Pool pool;
  private Redis redis;
  private CardStatusMap map;
  private CardStatusStore store;
  private CardStoreVerticle cardStore;
  private AdminVerticle admin;
  private final List<TapVerticle> taps = new ArrayList<>();
  private long clustersWatch;

  private GatewayNode(GatewayConfig config, Vertx vertx, NodeMetrics metrics, List<AutoCloseable> embedded) {
    this.config = config;
    this.vertx = vertx;
    this.metrics = metrics;
    this.embedded = embedded;
  }

  /** Extra routes the load test mounts on the tap listener (comparison endpoints); none in production. */
  public record Options(Consumer<Router> extraTapRoutes) {
    public static final Options PRODUCTION = new Options(router -> { });
  }

  public static Future<GatewayNode> start(GatewayConfig config) {
    return start(config, Options.PRODUCTION);
  }

  public static Future<GatewayNode> start(GatewayConfig configured, Options options) {
    NodeMetrics metrics = new NodeMetrics(configured.node().id());
    VertxOptions vertxOptions = new VertxOptions()
        .setPreferNativeTransport(true)
        .setMetricsOptions(metrics.vertxMetricsOptions())
        .setMaxEventLoopExecuteTime(configured.node().eventLoopWarningMillis())
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.max(10, configured.node().eventLoopWarningMillis() / 2))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
    if (configured.node().eventLoops() > 0) {
      vertxOptions.setEventLoopPoolSize(configured.node().eventLoops());
    }
    Vertx vertx = Vertx.builder().with(vertxOptions).withMetrics(metrics.vertxMetricsFactory()).build();
    List<AutoCloseable> embedded = new ArrayList<>();
    return vertx.executeBlocking(() -> prepare(configured, embedded))
        .compose(config -> new GatewayNode(config, vertx, metrics, embedded).deploy(options))
        .recover(failure -> {
          LOG.error("node start failed: {}", failure.toString());
          // Vert.x cannot report its own close to one of its contexts: finish on a plain thread.
          Promise<GatewayNode> failed = Promise.promise();
          closeVertx(vertx, () -> {
            EmbeddedServers.stopAll(embedded);
            failed.fail(failure);
          });
          return failed.future();
        });
  }

  /** Blocking start-up work, on a worker: embedded servers, development keys, migrations. */
  private static GatewayConfig prepare(GatewayConfig configured, List<AutoCloseable> embedded) {
    GatewayConfig config = EmbeddedServers.startWhereMissing(DevelopmentKeys.ensure(configured), embedded);
    Database.migrate(config.database());
    return config;
  }

  private Future<GatewayNode> deploy(Options options) {
    pool = Database.pool(vertx, config.database());
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redis().url()));
    map = new CardStatusMap();
    store = new CardStatusStore(pool, map);
    metrics.watchCardMap(map);
    TapMetrics tapMetrics = new TapMetrics(metrics.registry(), config.node().id());

    return ValidatorClusters.load(vertx, config.tap().clustersFile()).compose(clusters -> {
      clustersWatch = clusters.watch(vertx, config.tap().clustersReloadSeconds() * 1000L);
      admin = new AdminVerticle(config.admin(), metrics, store, pool, redis);
      return vertx.deployVerticle(admin)
          .compose(id -> {
            adminDeployment = id;
            int instances = vertxEventLoops();
            return vertx.deployVerticle(() -> {
              TapVerticle tap = new TapVerticle(config.tap(), map, clusters, tapMetrics, options.extraTapRoutes());
              synchronized (taps) {
                taps.add(tap);
              }
              return tap;
            }, new DeploymentOptions().setInstances(instances));
          })
          .compose(id -> {
            tapDeployment = id;
            cardStore = new CardStoreVerticle(config.cardStore(), pool, map);
            return vertx.deployVerticle(cardStore, new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setMaxWorkerExecuteTime(10)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
          })
          .map(id -> {
            cardStoreDeployment = id;
            cardStore.loaded().onSuccess(metrics::mapLoaded);
            LOG.info("node {} listening: taps on {}, admin on {}; database {}, redis {}",
                config.node().id(), tapPort(), adminPort(), config.database(), config.redis());
            return this;
          });
    });
  }

  private List<String> stopOrder() {
    List<String> order = new ArrayList<>();
    for (String id : new String[] {tapDeployment, adminDeployment, cardStoreDeployment}) {
      if (id != null) {
        order.add(id);
      }
    }
    return order;
  }

  private int vertxEventLoops() {
    return config.node().eventLoops() > 0 ? config.node().eventLoops() : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /**
   * Stops taking taps first (no reader may outlive the map), then the admin listener, then closes
   * the map cleanly (the next start is warm), then the pools and the embedded servers.
   */
  public Future<Void> stop() {
    vertx.cancelTimer(clustersWatch);
    Future<Void> undeployed = Future.succeededFuture();
    for (String id : stopOrder()) {
      undeployed = undeployed.compose(ignored -> vertx.undeploy(id));
    }
    Promise<Void> stopped = Promise.promise();
    undeployed
        .eventually(() -> pool.close())
        .eventually(() -> redis.close())
        .onComplete(ignored -> closeVertx(vertx, () -> {
          EmbeddedServers.stopAll(embedded);
          stopped.complete();
        }));
    return stopped.future();
  }

  /**
   * Vert.x cannot always report its own close (the context the report is bound to may be gone
   * first), so the close is awaited on a plain thread, for a bounded time, before what follows.
   */
  private static void closeVertx(Vertx vertx, Runnable after) {
    new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        LOG.warn("Vert.x did not report its close within {} s; going on", CLOSE_WAIT_SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | RuntimeException e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      } finally {
        after.run();
      }
    }, "node-close").start();
  }



  public GatewayConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  public Redis redis() {
    return redis;
  }

  public CardStatusStore store() {
    return store;
  }

  public CardStatusMap map() {
    return map;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public Future<MapLoad> mapLoaded() {
    return cardStore.loaded();
  }

  public int tapPort() {
    return taps.get(0).actualPort();
  }

  /** The port of every tap verticle instance: one value when they share the listener. */
  public java.util.Set<Integer> tapPorts() {
    synchronized (taps) {
      return taps.stream().map(TapVerticle::actualPort).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
  }

  public int adminPort() {
    return admin.actualPort();
  }
}
