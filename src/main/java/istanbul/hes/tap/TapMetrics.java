package istanbul.hes.tap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import istanbul.hes.metrics.LoopLocalHistogram;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tap meters, registered once per node and shared by every tap verticle. The hot path indexes
 * an array by outcome ordinal: no tag lookup, no allocation; Micrometer's counters are striped
 * adders, so event loops do not contend.
 */
public final class TapMetrics {
  private final Counter[] decisions;
  private final LoopLocalHistogram tapLatency;
  private final LoopLocalHistogram batchLatency;
  private final MeterRegistry registry;
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();

  public TapMetrics(PrometheusMeterRegistry registry, String nodeId) {
    this.registry = registry;
    TapOutcome[] outcomes = TapOutcome.all();
    decisions = new Counter[outcomes.length];
    for (TapOutcome outcome : outcomes) {
      decisions[outcome.ordinal()] = Counter.builder("gateway_taps")
          .description("Tap decisions, by decision and reason (batch taps included)")
          .tag("decision", outcome.decision().name())
          .tag("reason", outcome.reason().name())
          .tag("mode", outcome.mode().name())
          .register(registry);
    }
    // Fixed buckets around the sub-millisecond target, recorded per event loop (see LoopLocalHistogram).
    Labels node = Labels.of("node", nodeId);
    tapLatency = new LoopLocalHistogram("gateway_tap_seconds",
        "Server time of POST /v1/taps, from the read body to the answer being written", node,
        10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000)
        .registerWith(registry.getPrometheusRegistry());
    batchLatency = new LoopLocalHistogram("gateway_tap_batch_seconds", "Server time of POST /v1/taps/batch", node,
        100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 250_000)
        .registerWith(registry.getPrometheusRegistry());
    for (String code : new String[] {"MALFORMED_JSON", "MISSING_FIELD", "DUPLICATE_FIELD", "INVALID_CARD", "INVALID_VALIDATOR",
        "INVALID_TIMESTAMP", "INVALID_BATCH", "TOO_MANY_TAPS", "BODY_TOO_LARGE", "UNAUTHORIZED", "UNSUPPORTED_MEDIA_TYPE", "NOT_READY"}) {
      rejectionCounter(code);
    }
  }

  /** The latency recorders of one tap verticle instance (one event loop). */
  record LoopRecorders(LoopLocalHistogram.Recorder tap, LoopLocalHistogram.Recorder batch) {}

  LoopRecorders newLoopRecorders() {
    return new LoopRecorders(tapLatency.newRecorder(), batchLatency.newRecorder());
  }

  void decided(TapOutcome outcome) {
    decisions[outcome.ordinal()].increment();
  }

  /** Requests answered with a problem, by code (not the hot path; codes are few and fixed). */
  void rejected(String code) {
    rejectionCounter(code).increment();
  }

  private Counter rejectionCounter(String code) {
    return rejections.computeIfAbsent(code, key -> Counter.builder("gateway_tap_rejections")
        .description("Tap requests answered with a problem, by problem code")
        .tag("code", key)
        .register(registry));
  }
}
