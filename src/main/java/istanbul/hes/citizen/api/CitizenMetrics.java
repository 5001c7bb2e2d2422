package istanbul.hes.citizen.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import istanbul.hes.http.Problems;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What operators watch on the citizens' listener: answers by operation, HTTP status and outcome
 * code ({@code OK} or the problem's code, e.g. {@code MINISTRY_UNAVAILABLE}), and the time to
 * answer by operation. Requests refused before an operation was matched (no token, rate limited,
 * unknown path) count under operation {@code none}. No personal data reaches a tag.
 */
final class CitizenMetrics implements PlatformHandler {
  static final String OPERATION = "citizen.operation";
  private static final String NONE = "none";

  private final MeterRegistry meters;
  private final Map<String, Counter> answers = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  CitizenMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * First handler of every request (a platform handler: vertx-web runs those before the body
   * handler): counts and times the answer when it is sent.
   */
  @Override
  public void handle(RoutingContext context) {
    long started = System.nanoTime();
    context.addHeadersEndHandler(ignored -> {
      String operation = context.get(OPERATION, NONE);
      int status = context.response().getStatusCode();
      String code = status < 400 ? "OK" : context.get(Problems.ANSWERED_CODE, "HTTP_" + status);
      answers.computeIfAbsent(operation + '|' + status + '|' + code, key -> Counter.builder("gateway_citizen_answers")
              .description("Answers of the citizens' listener by operation, HTTP status and outcome code")
              .tag("operation", operation)
              .tag("status", Integer.toString(status))
              .tag("code", code)
              .register(meters))
          .increment();
      timers.computeIfAbsent(operation, key -> Timer.builder("gateway_citizen_request")
              .description("Time to answer a citizen request, by operation")
              .tag("operation", operation)
              .publishPercentileHistogram()
              .register(meters))
          .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    });
    context.next();
  }
}
