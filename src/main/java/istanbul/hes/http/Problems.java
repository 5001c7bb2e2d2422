package istanbul.hes.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import istanbul.hes.logging.DependencyFailures;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure of a router into a problem+json answer; nothing leaves as an empty 500. */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final Pattern LONG_DIGIT_RUN = Pattern.compile("[0-9]{6,}");

  private Problems() {}

  /** Seconds a client is asked to wait before repeating a request PostgreSQL's outage failed. */
  public static final int OUTAGE_RETRY_AFTER_SECONDS = 5;

  /** Where the code of the problem a request was answered with is kept (for metrics). */
  public static final String ANSWERED_CODE = "problem.code";

  public static void send(RoutingContext context, Problem problem) {
    context.put(ANSWERED_CODE, problem.code());
    send(context.response(), problem);
  }

  public static void send(HttpServerResponse response, Problem problem) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(problem.status())
        .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
    if (problem.status() == 503 && !response.headers().contains(HttpHeaderNames.RETRY_AFTER)) {
      response.putHeader(HttpHeaderNames.RETRY_AFTER, "1");
    }
    response.end(problem.toBuffer());
  }

  /**
   * Installs the failure handler and problem answers for unknown paths and methods.
   *
   * @param listener names the listener in logs
   * @param observer sees every problem answered (for rejection metrics)
   */
  public static void install(Router router, String listener, Consumer<Problem> observer) {
    install(router, listener, observer, DependencyFailures.standalone());
  }

  /**
   * As {@link #install(Router, String, Consumer)}; failures that are outages of a dependency
   * (PostgreSQL down) are answered 503 DATABASE_UNAVAILABLE with Retry-After, counted and logged
   * by {@code failures} (one line per interval, no stack trace).
   */
  public static void install(Router router, String listener, Consumer<Problem> observer, DependencyFailures failures) {
    router.errorHandler(404, context -> answer(context, Problem.notFound(), observer));
    router.errorHandler(405, context -> answer(context, Problem.methodNotAllowed(), observer));
    router.route().failureHandler(context -> {
      Throwable failure = context.failure();
      if (!(failure instanceof ProblemException) && failure != null) {
        var outage = DependencyFailures.outage(failure);
        if (outage.isPresent()) {
          failures.record(outage.get(), listener, failure);
          if (!context.response().headWritten()) {
            context.response().putHeader(HttpHeaderNames.RETRY_AFTER, Integer.toString(OUTAGE_RETRY_AFTER_SECONDS));
          }
          answer(context, Problem.databaseUnavailable(), observer);
          return;
        }
      }
      answer(context, toProblem(context, listener), observer);
    });
  }

  private static void answer(RoutingContext context, Problem problem, Consumer<Problem> observer) {
    observer.accept(problem);
    send(context, problem);
  }

  /** Paths carry card numbers: keep only the last four digits of any long digit run. */
  static String maskDigits(String path) {
    return path == null ? "" : LONG_DIGIT_RUN.matcher(path).replaceAll(match -> "*".repeat(match.group().length() - 4)
        + match.group().substring(match.group().length() - 4));
  }

  static Problem toProblem(RoutingContext context, String listener) {
    Throwable failure = context.failure();
    if (failure instanceof ProblemException problem) {
      return problem.problem();
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : context.statusCode();
    return switch (status) {
      case 400 -> Problem.malformedJson("the request could not be read");
      case 401 -> Problem.unauthorized();
      case 404 -> Problem.notFound();
      case 405 -> Problem.methodNotAllowed();
      case 413 -> Problem.bodyTooLarge();
      case 415 -> Problem.unsupportedMediaType();
      case 406 -> Problem.of(ProblemCode.NOT_ACCEPTABLE, null);
      case 414 -> Problem.uriTooLong();
      case 431 -> Problem.headersTooLarge();
      default -> {
        // Any other client error Vert.x raises: a 400 of the catalogue, not a status it does not list.
        if (status >= 400 && status < 500) {
          yield Problem.of(ProblemCode.BAD_REQUEST, null);
        }
        LOG.error("{} listener: unhandled failure on {} {}", listener, context.request().method(),
            maskDigits(context.normalizedPath()), failure);
        yield Problem.internal();
      }
    };
  }
}
