package istanbul.hes.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What operators watch on a listener of people (citizens, sales points): answers by operation,
 * HTTP status and outcome code ({@code OK} or the problem's code, e.g. {@code MINISTRY_UNAVAILABLE}),
 * and the time to answer by operation, as {@code <prefix>_answers} and {@code <prefix>_request}.
 * Requests refused before an operation was matched (no token, rate limited, unknown path) count
 * under operation {@code none}. No personal data reaches a tag.
 */
public final class AnswerMetrics implements PlatformHandler {
  /** Where a route puts its operation id. */
  public static final String OPERATION = "answer.operation";
  private static final String NONE = "none";

  private final MeterRegistry meters;
  private final String prefix;
  private final String whose;
  private final Map<String, Counter> answers = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /**
   * @param prefix the meters' name prefix, e.g. {@code gateway_citizen}
   * @param whose the listener in the meters' descriptions, e.g. {@code "the citizens' listener"}
   */
  public AnswerMetrics(MeterRegistry meters, String prefix, String whose) {
    this.meters = meters;
    this.prefix = prefix;
    this.whose = whose;
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
      answers.computeIfAbsent(operation + '|' + status + '|' + code, key -> Counter.builder(prefix + "_answers")
              .description("Answers of " + whose + " by operation, HTTP status and outcome code")
              .tag("operation", operation)
              .tag("status", Integer.toString(status))
              .tag("code", code)
              .register(meters))
          .increment();
      timers.computeIfAbsent(operation, key -> Timer.builder(prefix + "_request")
              .description("Time to answer a request of " + whose + ", by operation")
              .tag("operation", operation)
              .publishPercentileHistogram()
              .register(meters))
          .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    });
    context.next();
  }
}
