package istanbul.hes.ministry.health;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Expectation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.http.HttpResponseHead;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import istanbul.hes.http.OutboundTrust;
import istanbul.hes.config.MinistryHealthConfig;
import istanbul.hes.ministry.health.MinistryUnavailable.Reason;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Ministry of Health HES service ({@code check-hes-code}, {@code check-hes-codes}).
 *
 * <p>Every call has a deadline ({@code ministryHealth.timeoutMillis}), goes through one circuit
 * breaker, and is retried with exponential backoff only when no answer came (connection refused,
 * closed or reset; timeout; 5xx): the checks are read-only lookups, so repeating them is safe.
 * An answer (a 400 saying not found or expired, a 401) is never retried. Everything that is not an
 * answer about the code ends as {@link MinistryUnavailable}; callers answer 503.
 *
 * <p>HES codes and identity data are personal data: logs and messages show codes masked to their
 * first 4 characters and never the bodies; the credentials are never logged.
 */
public final class HealthMinistryClient implements AutoCloseable {
  static final String CHECK_PATH = "/check-hes-code";
  static final String BULK_PATH = "/check-hes-codes";
  /** Connections to the ministry per event loop's client pool. */
  static final int MAX_CONNECTIONS = 32;
  /** Checks waiting for a connection; beyond it a check fails at once (503) rather than wait unboundedly. */
  static final int MAX_WAITING = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(HealthMinistryClient.class);
  /** 200 (the check) or 400 (the ministry's error keys), always JSON; anything else fails the attempt. */
  private static final Expectation<HttpResponseHead> CHECK_ANSWER =
      HttpResponseExpectation.SC_OK.or(HttpResponseExpectation.SC_BAD_REQUEST).and(HttpResponseExpectation.JSON);
  private static final Expectation<HttpResponseHead> BULK_ANSWER =
      HttpResponseExpectation.SC_OK.and(HttpResponseExpectation.JSON);

  private final Vertx vertx;
  private final MinistryHealthConfig config;
  private final WebClient client;
  private final CircuitBreaker breaker;

  public HealthMinistryClient(Vertx vertx, MinistryHealthConfig config) {
    this.vertx = vertx;
    this.config = config;
    // The default pool (5 connections) queues checks behind each other under a citizen rush: each
    // holds a connection for a whole ministry round trip.
    this.client = WebClient.create(vertx, OutboundTrust.apply(new WebClientOptions(), config.trustFile())
            .setUserAgent("hes-gateway")
            .setMetricsName("ministry-health")
            .setConnectTimeout(config.timeoutMillis())
            .setKeepAlive(true)
            .setIdleTimeout(60),
        new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(MAX_WAITING));
    this.breaker = CircuitBreaker.create("ministry-health", vertx, new CircuitBreakerOptions()
            .setMaxFailures(config.breakerFailures())
            .setTimeout(config.timeoutMillis())
            .setResetTimeout(config.breakerResetMillis())
            .setMaxRetries(0)
            .setFallbackOnFailure(false)
            .setNotificationAddress(null))
        .openHandler(nothing -> LOG.warn("Ministry of Health circuit breaker open: checks fail at once for {} ms",
            config.breakerResetMillis()))
        .halfOpenHandler(nothing -> LOG.info("Ministry of Health circuit breaker half-open: probing"))
        .closeHandler(nothing -> LOG.info("Ministry of Health circuit breaker closed"));
  }

  /**
   * Checks one HES code (already normalized: upper case, no separators). Fails with
   * {@link HesCodeNotFound}, {@link HesCodeExpired} or {@link MinistryUnavailable}.
   */
  public Future<HesCheck> check(String normalizedHesCode) {
    String what = "check-hes-code " + HesCodes.mask(normalizedHesCode);
    if (!config.configured()) {
      return Future.failedFuture(notConfigured());
    }
    JsonObject body = new JsonObject().put("hes_code", normalizedHesCode);
    return withRetries(what, () -> post(CHECK_PATH, body, CHECK_ANSWER).map(response -> singleAnswer(normalizedHesCode, response)))
        .compose(answer -> switch (answer.rejection() == null ? HesCodeRejection.OTHER : answer.rejection()) {
          case NOT_FOUND -> Future.failedFuture(new HesCodeNotFound(normalizedHesCode));
          case EXPIRED -> Future.failedFuture(new HesCodeExpired(normalizedHesCode));
          default -> Future.succeededFuture(answer.check());
        });
  }

  /**
   * Checks many codes through {@code check-hes-codes}, {@code ministryHealth.bulkBatchSize} per
   * request, one request at a time. Duplicates are asked once. The whole call fails with
   * {@link MinistryUnavailable} when any chunk does (after its retries).
   */
  public Future<BulkCheck> checkMany(List<String> codes) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(codes));
    if (distinct.isEmpty()) {
      return Future.succeededFuture(new BulkCheck(Map.of(), Map.of()));
    }
    if (!config.configured()) {
      return Future.failedFuture(notConfigured());
    }
    Map<String, HesCheck> valid = new HashMap<>();
    Map<String, HesCodeRejection> rejected = new HashMap<>();
    int size = config.bulkBatchSize();
    int chunks = (distinct.size() + size - 1) / size;
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < chunks; i++) {
      List<String> chunk = distinct.subList(i * size, Math.min(distinct.size(), (i + 1) * size));
      String what = "check-hes-codes chunk " + (i + 1) + "/" + chunks + " (" + chunk.size() + " codes)";
      chain = chain.compose(ignored -> checkChunk(what, chunk)).map(answer -> {
        valid.putAll(answer.valid());
        rejected.putAll(answer.rejected());
        return null;
      });
    }
    return chain.map(ignored -> new BulkCheck(valid, rejected));
  }

  /**
   * How long a caller told "unavailable" should wait before trying again: the breaker's pause
   * (after which it probes the ministry again), in whole seconds, at least 1.
   */
  public int retryAfterSeconds() {
    return (int) Math.max(1, (config.breakerResetMillis() + 999) / 1000);
  }

  /** The breaker's state, for health reporting. */
  public CircuitBreakerState breakerState() {
    return breaker.state();
  }

  @Override
  public void close() {
    breaker.close();
    client.close();
  }

  private Future<BulkCheck> checkChunk(String what, List<String> chunk) {
    JsonObject body = new JsonObject().put("hes_codes", new JsonArray(new ArrayList<>(chunk)));
    return withRetries(what, () -> post(BULK_PATH, body, BULK_ANSWER).map(response -> bulkAnswer(chunk, response)));
  }

  private Future<HttpResponse<Buffer>> post(String path, JsonObject body, Expectation<HttpResponseHead> expected) {
    return client.postAbs(config.baseUrl() + path)
        .basicAuthentication(config.username(), config.password())
        .putHeader("Accept", "application/json")
        .connectTimeout(config.timeoutMillis())
        .timeout(config.timeoutMillis())
        .sendJsonObject(body)
        .expecting(expected.wrappingFailure((head, failure) -> unexpected(head)));
  }

  /** One attempt through the breaker at a time; failures that are safe to retry are, after a pause. */
  private <T> Future<T> withRetries(String what, Supplier<Future<T>> call) {
    return attempt(what, call, 0);
  }

  private <T> Future<T> attempt(String what, Supplier<Future<T>> call, int attempt) {
    return breaker.<T>execute(call).recover(error -> {
      AttemptFailure failure = classify(error);
      if (failure.retryable && attempt < config.retries()) {
        long delay = backoff(attempt);
        LOG.info("{} failed ({}: {}); retry {} of {} in {} ms", what, failure.reason, failure.getMessage(),
            attempt + 1, config.retries(), delay);
        return vertx.timer(delay).compose(ignored -> attempt(what, call, attempt + 1));
      }
      if (failure.reason == Reason.CREDENTIALS_REFUSED) {
        LOG.error("{}: the Ministry of Health refused the institution's credentials ({}); "
            + "check ministryHealth.username and ministryHealth.password", what, failure.getMessage());
      } else {
        LOG.warn("{} failed after {} attempt(s): {}: {}", what, attempt + 1, failure.reason, failure.getMessage());
      }
      return Future.failedFuture(new MinistryUnavailable(failure.reason, failure.getMessage(), error));
    });
  }

  private long backoff(int attempt) {
    long base = (long) config.retryBackoffMillis() << Math.min(attempt, 16);
    if (base == 0) {
      return 1;
    }
    long jitter = ThreadLocalRandom.current().nextLong(base / 5 + 1);
    return Math.max(1, base - base / 10 + jitter);
  }

  private static AttemptFailure classify(Throwable error) {
    if (error instanceof AttemptFailure failure) {
      return failure;
    }
    if (error instanceof OpenCircuitException) {
      return new AttemptFailure(Reason.BREAKER_OPEN, "circuit breaker open, the ministry was not called", false);
    }
    if (error instanceof io.vertx.circuitbreaker.TimeoutException || error instanceof java.util.concurrent.TimeoutException) {
      return new AttemptFailure(Reason.TIMEOUT, "no answer in time", true);
    }
    // Connection refused, closed or reset, or any other transport failure: no answer came, and a
    // lookup is safe to repeat.
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new AttemptFailure(Reason.CONNECTION, error.getClass().getSimpleName() + ": " + message, true);
  }

  private static AttemptFailure unexpected(HttpResponseHead head) {
    int status = head.statusCode();
    if (status >= 500) {
      return new AttemptFailure(Reason.SERVER_ERROR, "HTTP " + status, true);
    }
    if (status == 401 || status == 403) {
      return new AttemptFailure(Reason.CREDENTIALS_REFUSED, "HTTP " + status, false);
    }
    return new AttemptFailure(Reason.BAD_ANSWER, "unexpected answer HTTP " + status + " "
        + Optional.ofNullable(head.getHeader("Content-Type")).orElse("(no content type)"), false);
  }

  private static SingleAnswer singleAnswer(String asked, HttpResponse<Buffer> response) {
    JsonObject json = json(response);
    if (response.statusCode() == 400) {
      HesCodeRejection rejection = HesCodeRejection.ofErrorKey(json.getString("errorKey"));
      if (rejection == HesCodeRejection.OTHER) {
        throw badAnswer("400 with an unknown errorKey");
      }
      return new SingleAnswer(null, rejection);
    }
    return new SingleAnswer(hesCheck(asked, json), null);
  }

  private static BulkCheck bulkAnswer(List<String> asked, HttpResponse<Buffer> response) {
    JsonObject json = json(response);
    JsonObject successes = object(json, "success_map");
    JsonObject failures = object(json, "unsuccess_map");
    Map<String, HesCheck> valid = new HashMap<>();
    Map<String, HesCodeRejection> rejected = new HashMap<>();
    for (String code : asked) {
      Object success = successes.getValue(code);
      Object failure = failures.getValue(code);
      if (success instanceof JsonObject check) {
        valid.put(code, hesCheck(code, check));
      } else if (success != null) {
        throw badAnswer("success_map entry is not an object");
      } else if (failure instanceof String key) {
        rejected.put(code, HesCodeRejection.ofErrorKey(key));
      } else {
        rejected.put(code, HesCodeRejection.NOT_ANSWERED);
      }
    }
    return new BulkCheck(valid, rejected);
  }

  private static HesCheck hesCheck(String asked, JsonObject json) {
    String code = text(json, "hes_code", s -> s);
    if (!code.equalsIgnoreCase(asked)) {
      throw badAnswer("the answer is about another HES code");
    }
    HealthStatus status = text(json, "current_health_status", s -> HealthStatus.valueOf(s.toUpperCase(Locale.ROOT)));
    LocalDate expiry = text(json, "expiration_date", s -> LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s));
    return new HesCheck(asked, status,
        text(json, "masked_identity_number", s -> s),
        text(json, "masked_firstname", s -> s),
        text(json, "masked_lastname", s -> s),
        expiry.getYear() >= HesCheck.NO_EXPIRY_FROM_YEAR ? Optional.empty() : Optional.of(expiry));
  }

  private static <T> T text(JsonObject json, String field, Function<String, T> parse) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw badAnswer("field " + field + " missing or not a string");
    }
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw badAnswer("field " + field + " has an invalid value");
    }
  }

  private static JsonObject object(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw badAnswer("field " + field + " is not an object");
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      if (json == null) {
        throw badAnswer("empty body");
      }
      return json;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw badAnswer("body is not a JSON object");
    }
  }

  private static AttemptFailure badAnswer(String problem) {
    return new AttemptFailure(Reason.BAD_ANSWER, problem, false);
  }

  private static MinistryUnavailable notConfigured() {
    return new MinistryUnavailable(Reason.NOT_CONFIGURED, "ministryHealth.baseUrl is not set", null);
  }

  /** A 200 check, or a 400 with a known error key (an answer about the code, not a failure). */
  private record SingleAnswer(HesCheck check, HesCodeRejection rejection) {}

  /** Why one attempt failed, and whether another attempt is safe and useful. No personal data. */
  private static final class AttemptFailure extends RuntimeException {
    final Reason reason;
    final boolean retryable;

    AttemptFailure(Reason reason, String message, boolean retryable) {
      super(message, null, false, false);
      this.reason = reason;
      this.retryable = retryable;
    }
  }
}
