package istanbul.hes.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.junit.jupiter.api.Test;

class LoopLocalHistogramTest {
  private final LoopLocalHistogram histogram = new LoopLocalHistogram("test_latency_seconds", "test", Labels.of("node", "n1"), 10, 100);

  @Test
  void recordersOfEveryLoopAreSummedIntoBucketsWithInclusiveUpperBounds() {
    LoopLocalHistogram.Recorder first = histogram.newRecorder();
    LoopLocalHistogram.Recorder second = histogram.newRecorder();
    first.record(5_000);      // 5 µs
    first.record(10_000);     // exactly 10 µs: the 10 µs bucket
    second.record(10_001);    // just above: the 100 µs bucket
    second.record(2_000_000); // 2 ms: +Inf

    HistogramSnapshot.HistogramDataPointSnapshot point = ((HistogramSnapshot) histogram.collect()).getDataPoints().get(0);
    ClassicHistogramBuckets buckets = point.getClassicBuckets();
    assertThat(buckets.size()).isEqualTo(3);
    assertThat(buckets.getUpperBound(2)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(new long[] {buckets.getCount(0), buckets.getCount(1), buckets.getCount(2)}).containsExactly(2, 1, 1);
    assertThat(point.getCount()).isEqualTo(4);
    assertThat(point.getSum()).isCloseTo(0.002_025_001, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(point.getLabels().get("node")).isEqualTo("n1");
  }

  @Test
  void scrapedAsAnOrdinaryCumulativePrometheusHistogram() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    histogram.registerWith(registry.getPrometheusRegistry());
    LoopLocalHistogram.Recorder recorder = histogram.newRecorder();
    recorder.record(5_000);
    recorder.record(50_000);

    String scrape = registry.scrape();
    assertThat(scrape).contains("# TYPE test_latency_seconds histogram")
        .contains("test_latency_seconds_bucket{node=\"n1\",le=\"1.0E-5\"} 1")
        .contains("test_latency_seconds_bucket{node=\"n1\",le=\"1.0E-4\"} 2")
        .contains("test_latency_seconds_bucket{node=\"n1\",le=\"+Inf\"} 2")
        .contains("test_latency_seconds_count{node=\"n1\"} 2");
  }

  @Test
  void eachSeriesCountsOnlyWhatIsRecordedInIt() {
    LoopLocalHistogram classes = LoopLocalHistogram.perSeries("test_classes_seconds", "test",
        new Labels[] {Labels.of("reason", "OK"), Labels.of("reason", "HES_RISK")}, 10, 100);
    LoopLocalHistogram.Recorder loop = classes.newRecorder();
    loop.record(0, 5_000);
    loop.record(0, 50_000);
    loop.record(1, 5_000_000);

    var points = ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) classes.collect()).getDataPoints();

    assertThat(points).hasSize(2);
    var ok = points.stream().filter(point -> "OK".equals(point.getLabels().get("reason"))).findFirst().orElseThrow();
    var risk = points.stream().filter(point -> "HES_RISK".equals(point.getLabels().get("reason"))).findFirst().orElseThrow();
    assertThat(ok.getCount()).isEqualTo(2);
    assertThat(ok.getSum()).isEqualTo(55e-6, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(risk.getCount()).isEqualTo(1);
    assertThat(risk.getClassicBuckets().getCount(2)).as("above 100 µs: +Inf only").isEqualTo(1);
  }

  @Test
  void boundsMustIncrease() {
    assertThatThrownBy(() -> new LoopLocalHistogram("x", "x", Labels.EMPTY, 10, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
