package istanbul.hes.tap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import istanbul.hes.metrics.LoopLocalHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tap meters, registered once per node and shared by every tap verticle. The hot path indexes
 * an array by outcome ordinal: no tag lookup, no allocation; Micrometer's counters are striped
 * adders, so event loops do not contend.
 */
public final class TapMetrics {
  private final Counter[] decisions;
  /**
   * Steps of about 1.5× from 10 µs to 10 ms, then 25 and 50 ms: fine enough to tell a p99 from
   * 1.2 times it (what the per-class comparisons ask), few enough for one series per kind of answer.
   */
  static final long[] TAP_BUCKETS_MICROS = {10, 15, 25, 35, 50, 75, 100, 150, 250, 350, 500, 750, 1_000, 1_500, 2_500,
      3_500, 5_000, 7_500, 10_000, 25_000, 50_000};

  private final LoopLocalHistogram tapLatency;
  /** The latency series of each outcome (outcomes of one decision and reason share one: the mode is not a tag here). */
  private final int[] latencySeries;
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
    // Fixed buckets around the sub-millisecond target, recorded per event loop (see LoopLocalHistogram),
    // one series per kind of answer: a HES_RISK denial waits for its record by design, and the
    // others' times must show that they never wait behind it.
    Labels node = Labels.of("node", nodeId);
    List<String> classes = new ArrayList<>();
    latencySeries = new int[outcomes.length];
    for (TapOutcome outcome : outcomes) {
      String answer = outcome.decision().name() + "|" + outcome.reason().name();
      if (!classes.contains(answer)) {
        classes.add(answer);
      }
      latencySeries[outcome.ordinal()] = classes.indexOf(answer);
    }
    Labels[] series = classes.stream().map(answer -> node.merge(Labels.of("decision", answer.substring(0, answer.indexOf('|')),
        "reason", answer.substring(answer.indexOf('|') + 1)))).toArray(Labels[]::new);
    tapLatency = LoopLocalHistogram.perSeries("gateway_tap_seconds",
        "Server time of POST /v1/taps, from the read body to the answer being written, by decision and reason "
            + "(a HES_RISK denial includes the commit of its record)", series,
        TAP_BUCKETS_MICROS)
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
  record LoopRecorders(LoopLocalHistogram.Recorder taps, int[] series, LoopLocalHistogram.Recorder batch) {
    /** A single tap answered {@code outcome} after {@code nanos}. */
    void tap(TapOutcome outcome, long nanos) {
      taps.record(series[outcome.ordinal()], nanos);
    }
  }

  LoopRecorders newLoopRecorders() {
    return new LoopRecorders(tapLatency.newRecorder(), latencySeries, batchLatency.newRecorder());
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
