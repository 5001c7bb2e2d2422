package istanbul.hes.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.cardstore.MapLoad;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's one Prometheus registry, and the Vert.x metrics that feed it. Vert.x's per-request
 * HTTP server metrics stay off: on the tap listener they cost about a quarter of the throughput,
 * and the listeners count what matters with their own pre-registered meters.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<MapLoad> lastLoad = new AtomicReference<>();

  public NodeMetrics(String nodeId) {
    registry.config().commonTags("node", nodeId);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MicrometerMetricsFactory vertxMetricsFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  public MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Client meters (vertx_redis_*) are named by client type alone: without the client's
        // metrics name as a label, the node's Redis clients (citizen, fan-out) collide and all but
        // one are dropped with a warning at every start.
        .addLabels(Label.NAMESPACE)
        // The same for the outbound HTTP clients (ministries, SMS gateway, risk feed): their
        // meters carry the client's metrics name as client_name, or they collide.
        .addLabels(Label.CLIENT_NAME)
        // The SQL client makes its meters once per connection, so a pool of eight registers the
        // same gauge eight times (a warning at every start) and shows one connection's figures.
        // The pool's own meters (vertx_pool_*{pool_type="sql"}) show waiting and use.
        .addDisabledMetricsCategory("sql")
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        // Raw socket gauges of the database and Redis clients collide by name; their pools report
        // what an operator needs (vertx_pool_*).
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
  }

  public void watchCardMap(CardStatusMap map) {
    MeterRegistry meters = registry;
    Gauge.builder("gateway_card_map_entries", map, CardStatusMap::size)
        .description("Cards in this node's status map")
        .register(meters);
    Gauge.builder("gateway_card_map_ready", map, m -> m.ready() ? 1 : 0)
        .description("1 once the card map is loaded and taps are answered")
        .register(meters);
    Gauge.builder("gateway_card_map_off_heap_bytes", map, CardStatusMap::offHeapBytes)
        .description("Off-heap bytes the card map uses")
        .baseUnit("bytes")
        .register(meters);
    for (MapLoad.Mode mode : MapLoad.Mode.values()) {
      Gauge.builder("gateway_card_map_load_seconds", lastLoad, last -> {
            MapLoad load = last.get();
            return load != null && load.mode() == mode ? load.took().toNanos() / 1e9 : 0;
          })
          .description("Time the last map load took, by how it loaded (warm start, recovery, rebuild)")
          .tag("mode", mode.name())
          .register(meters);
    }
    Gauge.builder("gateway_card_map_repaired_entries", lastLoad, last -> last.get() == null ? 0 : last.get().repaired())
        .description("Entries the last map load corrected from PostgreSQL")
        .register(meters);
  }

  public void mapLoaded(MapLoad load) {
    lastLoad.set(load);
  }

  public MapLoad lastMapLoad() {
    return lastLoad.get();
  }
}
