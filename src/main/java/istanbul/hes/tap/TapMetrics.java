package istanbul.hes.tap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tap meters, registered once per node and shared by every tap verticle. The hot path indexes
 * an array by outcome ordinal: no tag lookup, no allocation; Micrometer's counters are striped
 * adders, so event loops do not contend.
 */
public final class TapMetrics {
  private final Counter[] decisions;
  private final Timer tapLatency;
  private final Timer batchLatency;
  private final MeterRegistry registry;
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();

  public TapMetrics(MeterRegistry registry) {
    this.registry = registry;
    TapOutcome[] outcomes = TapOutcome.all();
    decisions = new Counter[outcomes.length];
    for (TapOutcome outcome : outcomes) {
      decisions[outcome.ordinal()] = Counter.builder("gateway_taps")
          .description("Tap decisions, by decision and reason (batch taps included)")
          .tag("decision", outcome.decision().name())
          .tag("reason", outcome.reason().name())
          .register(registry);
    }
    // Fixed buckets around the sub-millisecond target: a dozen series an operator can read,
    // and a short binary search per record.
    tapLatency = Timer.builder("gateway_tap")
        .description("Server time of POST /v1/taps, from the parsed body to the answer being written")
        .serviceLevelObjectives(micros(10), micros(25), micros(50), micros(100), micros(250), micros(500),
            micros(1_000), micros(2_500), micros(5_000), micros(10_000), micros(50_000))
        .register(registry);
    batchLatency = Timer.builder("gateway_tap_batch")
        .description("Server time of POST /v1/taps/batch")
        .serviceLevelObjectives(micros(100), micros(250), micros(500), micros(1_000), micros(2_500),
            micros(5_000), micros(10_000), micros(25_000), micros(50_000), micros(250_000))
        .register(registry);
    for (String code : new String[] {"MALFORMED_JSON", "MISSING_FIELD", "DUPLICATE_FIELD", "INVALID_CARD", "INVALID_VALIDATOR",
        "INVALID_TIMESTAMP", "INVALID_BATCH", "TOO_MANY_TAPS", "BODY_TOO_LARGE", "UNAUTHORIZED", "UNSUPPORTED_MEDIA_TYPE", "NOT_READY"}) {
      rejectionCounter(code);
    }
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1_000);
  }

  void decided(TapOutcome outcome) {
    decisions[outcome.ordinal()].increment();
  }

  void tapTook(long nanos) {
    tapLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  void batchTook(long nanos) {
    batchLatency.record(nanos, TimeUnit.NANOSECONDS);
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
