package istanbul.hes.tap;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import istanbul.hes.cardstore.CardKey;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.config.ListenerTlsConfig;
import istanbul.hes.config.TapConfig;
import istanbul.hes.http.JsonMediaType;
import istanbul.hes.http.ListenerGuard;
import istanbul.hes.http.ListenerTls;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.Problems;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.statistics.TapActivity;
import istanbul.hes.violation.ViolationRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The validators' listener. One instance per event loop, each with its own parser buffers and
 * map key/value, so the path from parsed request to written answer takes no lock, allocates
 * only the answer, does no I/O and logs nothing.
 */
public final class TapVerticle extends VerticleBase {
  private static final byte[] CARD_PREFIX = "{\"card\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESULTS_PREFIX = "{\"results\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESULTS_SUFFIX = "]}".getBytes(StandardCharsets.US_ASCII);
  private static final int ANSWER_MAX = CARD_PREFIX.length + CardNumber.DIGITS + 64;

  private final TapConfig config;
  private final CardStatusMap map;
  private final ValidatorClusters clusters;
  private final TapMetrics metrics;
  private final Consumer<Router> extraRoutes;
  private final ViolationRecorder violations;
  private final DependencyFailures failures;
  private final Duration drainTimeout;
  private final Handler<RoutingContext> hotlist;
  private final ListenerGuard guard;
  private final TapActivity activity;
  private final RulePhases phases;
  private final Handler<RoutingContext> displayMessages;
  /** This instance's share of the statistics' record; null when statistics are off. */
  private TapActivity.Stripe statistics;

  private final CardKey key = new CardKey();
  private final CardStatus status = new CardStatus();
  private final TapRequests single = new TapRequests(1);
  private TapRequests batch;
  private TapMetrics.LoopRecorders latency;
  private TapRequestParser parser;
  private boolean clientCertificates;
  private ZoneId zone;
  private int today;
  private HttpServer server;

  /**
   * @param extraRoutes lets the benchmark mount its comparison endpoints on the same server and
   *     event loops; the node passes none
   * @param drainTimeout how long taps in flight at shutdown may take to be answered
   * @param hotlist the offline validators' deny-list (shared by every instance)
   * @param failures the node's count of dependency outages (the hotlist's PostgreSQL answers 503)
   * @param guard the listener's connection bounds (shared by every instance)
   * @param activity the statistics' record of taps (shared by every instance); null when statistics are off
   * @param displayMessages the validators' screen texts (shared by every instance)
   * @param phases the rule's current phase per kind of card (shared by every instance, switched at runtime)
   */
  public TapVerticle(TapConfig config, CardStatusMap map, ValidatorClusters clusters, TapMetrics metrics, Consumer<Router> extraRoutes,
      ViolationRecorder violations, Duration drainTimeout, Handler<RoutingContext> hotlist, DependencyFailures failures,
      ListenerGuard guard, TapActivity activity, Handler<RoutingContext> displayMessages, RulePhases phases) {
    this.activity = activity;
    this.phases = phases;
    this.displayMessages = displayMessages;
    this.failures = failures;
    this.guard = guard;
    this.hotlist = hotlist;
    this.violations = violations;
    this.drainTimeout = drainTimeout;
    this.config = config;
    this.map = map;
    this.clusters = clusters;
    this.metrics = metrics;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    parser = new TapRequestParser(config.maxBatchTaps());
    latency = metrics.newLoopRecorders();
    statistics = activity == null ? null : activity.newStripe();
    batch = new TapRequests(config.maxBatchTaps());
    clientCertificates = config.tls().clientCertificates() != ListenerTlsConfig.ClientCertificates.NONE;
    zone = config.timeZone();
    refreshToday();
    vertx.setPeriodic(1_000, id -> refreshToday());

    Router router = Router.router(vertx);
    // Token and media type are checked before a byte of the body is read.
    router.post("/v1/taps*").handler(this::admit);
    router.post("/v1/taps").handler(BodyHandler.create(false).setBodyLimit(config.maxTapBodyBytes())).handler(this::tap);
    router.post("/v1/taps/batch").handler(BodyHandler.create(false).setBodyLimit(config.maxBatchBodyBytes())).handler(this::tapBatch);
    router.get("/v1/hotlist").handler(this::authenticate).handler(hotlist);
    router.get("/v1/display-messages").handler(this::authenticate).handler(displayMessages);
    extraRoutes.accept(router);
    Problems.install(router, "tap", problem -> metrics.rejected(problem.code()), failures);

    // Vert.x's own per-request HTTP metrics cost about a quarter of tap throughput; the tap
    // listener counts with its own pre-registered meters instead.
    return guard.prepare(vertx).compose(tls -> listen(router)).onSuccess(listening -> server = listening);
  }

  private Future<HttpServer> listen(Router router) {
    HttpServerOptions options = guard.apply(new HttpServerOptions())
        .setHost(config.host())
        // Port 0 would give every instance its own random port (only instance 0's is known);
        // a negative port makes Vert.x pick one random port that all instances share.
        .setPort(config.port() == 0 ? -1 : config.port())
        .setTcpNoDelay(true)
        .setTcpFastOpen(true)
        .setCompressionSupported(false)
        .setMaxInitialLineLength(1024)
        .setMaxHeaderSize(8192);
    return guard.guard(vertx.createHttpServer(options)).requestHandler(router).listen();
  }

  /**
   * Refuses new connections at once and answers the taps in flight before closing each
   * connection (a HES_RISK denial waits for its record), for at most the drain timeout: a
   * validator never loses an answer the node has decided.
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void refreshToday() {
    today = (int) LocalDate.now(zone).toEpochDay();
  }

  /** A validator cluster's token, or 401. */
  private void authenticate(RoutingContext context) {
    if (knownCluster(context)) {
      context.next();
    }
  }

  /**
   * A connection with a client certificate is its cluster's (the token is then not needed); a
   * certificate that is not, or no longer, in the clusters file is refused like a wrong token.
   */
  private boolean knownCluster(RoutingContext context) {
    HttpServerRequest request = context.request();
    String fingerprint = clientCertificates ? ListenerTls.clientFingerprint(request.connection()) : null;
    String cluster = fingerprint != null ? clusters.clusterForCertificate(fingerprint)
        : clusters.clusterFor(request.getHeader(HttpHeaderNames.AUTHORIZATION));
    if (cluster == null) {
      context.response().putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"validators\"");
      context.fail(Problem.unauthorized().exception());
      return false;
    }
    return true;
  }

  /** Token and media type, before any body is read. */
  private void admit(RoutingContext context) {
    HttpServerRequest request = context.request();
    if (!knownCluster(context)) {
      return;
    }
    String contentType = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null && !JsonMediaType.accepts(contentType)) {
      context.fail(Problem.unsupportedMediaType().exception());
      return;
    }
    if (!map.ready()) {
      context.fail(Problem.notReady().exception());
      return;
    }
    context.next();
  }

  private void tap(RoutingContext context) {
    long started = System.nanoTime();
    parser.parseSingle(bodyOf(context), single);
    TapOutcome outcome = decide(single.cards[0], single.atMillis[0]);
    byte[] answer = new byte[CARD_PREFIX.length + CardNumber.DIGITS + outcome.jsonTail.length];
    writeAnswer(single.cards[0], outcome, answer, 0);
    if (outcome != TapOutcome.DENY_HES_RISK) {
      respond(context, Buffer.buffer(answer));
      latency.tap(outcome, System.nanoTime() - started);
      return;
    }
    // A risk denial and its record for the Ministry of Interior are one fact: answered once committed.
    violations.record(single.cards[0], single.validators[0], Instant.ofEpochMilli(single.atMillis[0]))
        .onSuccess(recorded -> {
          respond(context, Buffer.buffer(answer));
          latency.tap(outcome, System.nanoTime() - started);
        })
        .onFailure(failure -> notRecorded(context, failure));
  }

  /** The recorder logs the failure once per statement; nothing is logged per tap. */
  private static void notRecorded(RoutingContext context, Throwable failure) {
    Problems.send(context, Problem.of(ProblemCode.VIOLATION_NOT_RECORDED, "retry the tap: a HES_RISK denial is answered only once it is recorded"));
  }

  private void tapBatch(RoutingContext context) {
    long started = System.nanoTime();
    parser.parseBatch(bodyOf(context), batch);
    int size = batch.size;
    byte[] answer = new byte[RESULTS_PREFIX.length + size * (ANSWER_MAX + 1) + RESULTS_SUFFIX.length];
    System.arraycopy(RESULTS_PREFIX, 0, answer, 0, RESULTS_PREFIX.length);
    int length = RESULTS_PREFIX.length;
    List<Future<Void>> records = null;
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        answer[length++] = ',';
      }
      TapOutcome outcome = decide(batch.cards[i], batch.atMillis[i]);
      length = writeAnswer(batch.cards[i], outcome, answer, length);
      if (outcome == TapOutcome.DENY_HES_RISK) {
        if (records == null) {
          records = new ArrayList<>();
        }
        records.add(violations.record(batch.cards[i], batch.validators[i], Instant.ofEpochMilli(batch.atMillis[i])));
      }
      batch.validators[i] = null;
    }
    System.arraycopy(RESULTS_SUFFIX, 0, answer, length, RESULTS_SUFFIX.length);
    length += RESULTS_SUFFIX.length;
    Buffer answered = Buffer.buffer().appendBytes(answer, 0, length);
    if (records == null) {
      respond(context, answered);
      latency.batch().record(System.nanoTime() - started);
      return;
    }
    Future.all(records)
        .onSuccess(recorded -> {
          respond(context, answered);
          latency.batch().record(System.nanoTime() - started);
        })
        .onFailure(failure -> notRecorded(context, failure));
  }

  private TapOutcome decide(long card, long atMillis) {
    boolean known = map.lookup(card, key, status);
    TapOutcome outcome = TapDecider.decide(known, status, today, phases.modesAt(atMillis));
    metrics.decided(outcome);
    if (statistics != null) {
      statistics.tapped(atMillis, known, status, outcome);
    }
    return outcome;
  }

  private static int writeAnswer(long card, TapOutcome outcome, byte[] into, int offset) {
    System.arraycopy(CARD_PREFIX, 0, into, offset, CARD_PREFIX.length);
    int position = offset + CARD_PREFIX.length;
    CardNumber.writeDigits(card, into, position);
    position += CardNumber.DIGITS;
    System.arraycopy(outcome.jsonTail, 0, into, position, outcome.jsonTail.length);
    return position + outcome.jsonTail.length;
  }

  private static byte[] bodyOf(RoutingContext context) {
    RequestBody body = context.body();
    if (body == null || body.isEmpty()) {
      throw Problem.malformedJson("the body is empty").exception();
    }
    return body.buffer().getBytes();
  }

  private static void respond(RoutingContext context, Buffer answer) {
    context.response()
        .putHeader(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .end(answer);
  }
}
