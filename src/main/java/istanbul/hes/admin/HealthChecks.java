package istanbul.hes.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.cardstore.MapLoad;
import istanbul.hes.metrics.NodeMetrics;
import java.util.concurrent.TimeUnit;

/**
 * Readiness means "taps are answered correctly": the card map is loaded. PostgreSQL and Redis
 * are reported too, but an outage of either does not take the node out of rotation: taps are
 * answered from the map, which is exactly what the map is for.
 */
final class HealthChecks {
  private static final long CHECK_TIMEOUT_MILLIS = 1_000;

  private final CardStatusMap map;
  private final Pool pool;
  private final Redis redis;
  private final NodeMetrics metrics;
  private volatile boolean stopping;

  HealthChecks(CardStatusMap map, Pool pool, Redis redis, NodeMetrics metrics) {
    this.map = map;
    this.pool = pool;
    this.redis = redis;
    this.metrics = metrics;
  }

  /** From the start of a shutdown on, the node is out of rotation while it answers what is in flight. */
  void stopping() {
    stopping = true;
  }

  boolean ready() {
    return map.ready() && !stopping;
  }

  Future<JsonObject> report() {
    Future<String> postgres = pool.query(OperatorSql.PING).execute()
        .map("UP").timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).otherwise("DOWN");
    Future<String> redisStatus = redis.send(Request.cmd(Command.PING))
        .map("UP").timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).otherwise("DOWN");
    return Future.join(postgres, redisStatus).transform(ignored -> {
      JsonObject cardMap = new JsonObject()
          .put("status", map.ready() ? "UP" : "LOADING")
          .put("entries", map.size());
      MapLoad load = metrics.lastMapLoad();
      if (load != null) {
        cardMap.put("load", new JsonObject()
            .put("mode", load.mode().name())
            .put("why", load.why())
            .put("repaired", load.repaired())
            .put("caughtUp", load.caughtUp())
            .put("seconds", load.took().toMillis() / 1000.0));
      }
      return Future.succeededFuture(new JsonObject()
          .put("status", stopping ? "STOPPING" : ready() ? "UP" : "DOWN")
          .put("checks", new JsonObject()
              .put("cardMap", cardMap)
              .put("postgres", new JsonObject().put("status", postgres.result()))
              .put("redis", new JsonObject().put("status", redisStatus.result()))));
    });
  }
}
