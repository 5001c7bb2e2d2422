package istanbul.hes.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.MapConsistency;
import istanbul.hes.config.AdminConfig;
import istanbul.hes.config.CardStoreConfig;
import istanbul.hes.config.PointsConfig;
import istanbul.hes.http.ListenerGuard;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.Problems;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.metrics.NodeMetrics;
import istanbul.hes.phases.RulePhaseService;
import istanbul.hes.points.PointAccess;
import istanbul.hes.statistics.StatisticsReports;
import istanbul.hes.tap.RuleMode;
import istanbul.hes.violation.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The operators' listener: Prometheus metrics, health, and token-protected operator actions. */
public final class AdminVerticle extends VerticleBase {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final int OPERATOR_BODY_LIMIT = 4096;
  /** Room for the most ids a re-queue takes (about 40 bytes each). */
  private static final int REQUEUE_BODY_LIMIT = 256 * 1024;

  private final AdminConfig config;
  private final NodeMetrics metrics;
  private final HealthChecks health;
  private final OperatorActions operator;
  private final DeadLetters deadLetters;
  private final CardStoreConfig cardStore;
  private final CardStatusStore store;
  private final Pool pool;
  private final DependencyFailures failures;
  private MapConsistency consistency;
  /** The check in progress, if any: one at a time (a full check reads every card). */
  private volatile Future<MapConsistency.Report> checking;
  private HttpServer server;
  private volatile Supplier<JsonObject> deltaIngestion = () -> new JsonObject().put("enabled", false);
  private final StatisticsReports statistics;
  private final RulePhaseService phases;
  private final PointAccess pointAccess;
  /** The features' own operator routes (campaigns, keys, a person's rights), mounted after the operator check. */
  private final List<Consumer<Router>> featureRoutes;

  public AdminVerticle(AdminConfig config, CardStoreConfig cardStore, NodeMetrics metrics, CardStatusStore store, Pool pool,
      Redis redis, DependencyFailures failures, StatisticsReports statistics, RulePhaseService phases, PointAccess pointAccess,
      List<Consumer<Router>> featureRoutes) {
    this.featureRoutes = List.copyOf(featureRoutes);
    this.failures = failures;
    this.pointAccess = pointAccess;
    this.statistics = statistics;
    this.phases = phases;
    this.cardStore = cardStore;
    this.store = store;
    this.pool = pool;
    this.config = config;
    this.metrics = metrics;
    this.health = new HealthChecks(store.map(), pool, redis, metrics);
    this.operator = new OperatorActions(store);
    this.deadLetters = new DeadLetters(pool);
  }

  /** POST /admin/v1/violations/dead/requeue {"ids":[…]} or {"all":true}. */
  private void requeue(RoutingContext context) {
    Object body;
    try {
      body = context.body().isEmpty() ? null : Json.decodeValue(context.body().buffer());
    } catch (DecodeException e) {
      throw Problem.malformedJson("the body must be a JSON object").exception();
    }
    deadLetters.requeue(DeadLetters.requeueRequest(body))
        .onSuccess(count -> AdminRequests.json(context, 200, new JsonObject().put("requeued", count)))
        .onFailure(context::fail);
  }

  /** GET /admin/v1/consistency?mode=sample&cards=N (default 10,000) or ?mode=full: the map against PostgreSQL. */
  private void checkConsistency(RoutingContext context) {
    String mode = context.queryParams().get("mode") == null ? "sample" : context.queryParams().get("mode");
    String cards = context.queryParams().get("cards");
    if (!mode.equals("sample") && !mode.equals("full")) {
      throw AdminRequests.invalid("mode must be sample or full");
    }
    if (cards != null && (mode.equals("full") || !cards.matches("[0-9]{1,7}") || Integer.parseInt(cards) < 1
        || Integer.parseInt(cards) > 1_000_000)) {
      throw AdminRequests.invalid("cards must be 1 to 1000000, and only with mode=sample");
    }
    if (!store.map().ready()) {
      throw Problem.notReady().exception();
    }
    if (checking != null) {
      throw Problem.of(ProblemCode.CONSISTENCY_CHECK_RUNNING, "ask again when it is done").exception();
    }
    int sample = cards == null ? cardStore.consistencySampleCards() : Integer.parseInt(cards);
    runCheck(() -> mode.equals("full") ? consistency.full() : consistency.sample(sample))
        .onSuccess(report -> AdminRequests.json(context, 200, report.toJson()))
        .onFailure(context::fail);
  }

  private Future<MapConsistency.Report> runCheck(Supplier<Future<MapConsistency.Report>> check) {
    Future<MapConsistency.Report> started = check.get();
    checking = started;
    started.onComplete(done -> checking = null);
    return started;
  }

  /**
   * GET /admin/v1/statistics?from=YYYY-MM-DD&to=YYYY-MM-DD (Istanbul days, inclusive; default the
   * month so far): JSON, or CSV with {@code format=csv} or {@code Accept: text/csv}.
   */
  private void statistics(RoutingContext context) {
    LocalDate today = statistics.today();
    LocalDate to = dateParameter(context, "to", today);
    LocalDate from = dateParameter(context, "from", to.withDayOfMonth(1));
    if (from.isAfter(to)) {
      throw AdminRequests.invalid("from must not be after to");
    }
    if (ChronoUnit.DAYS.between(from, to) >= StatisticsReports.MAX_DAYS) {
      throw AdminRequests.invalid("a period is at most " + StatisticsReports.MAX_DAYS + " days");
    }
    String format = context.queryParams().get("format");
    if (format != null && !format.equals("json") && !format.equals("csv")) {
      throw AdminRequests.invalid("format must be json or csv");
    }
    String accept = context.request().getHeader(HttpHeaderNames.ACCEPT);
    boolean csv = "csv".equals(format) || format == null && accept != null && accept.contains("text/csv");
    statistics.report(from, to).onSuccess(report -> {
      if (csv) {
        context.response().putHeader(HttpHeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8")
            .putHeader(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"hes-statistics-" + from + "-" + to + ".csv\"")
            .end(report.toCsv());
      } else {
        AdminRequests.json(context, 200, report.toJson());
      }
    }).onFailure(context::fail);
  }

  /**
   * PUT /admin/v1/rule-phases/{personalized|anonymous} {"mode":"ENFORCE|MONITOR|OFF","changedBy":"…","why":"…"}:
   * switches the rule's phase for that kind of card on every node, without a restart.
   */
  private void switchPhase(RoutingContext context) {
    RulePhaseService.Kind kind = switch (context.pathParam("kind")) {
      case "personalized" -> RulePhaseService.Kind.PERSONALIZED;
      case "anonymous" -> RulePhaseService.Kind.ANONYMOUS;
      default -> throw Problem.of(ProblemCode.NOT_FOUND, "the kinds of card are personalized and anonymous").exception();
    };
    JsonObject body = AdminRequests.objectBody(context);
    RuleMode mode;
    try {
      mode = RuleMode.valueOf(body.getValue("mode") instanceof String text ? text : "");
    } catch (IllegalArgumentException e) {
      throw AdminRequests.invalid("mode must be ENFORCE, MONITOR or OFF");
    }
    AdminRequests.OperatorChange change = AdminRequests.operatorChange(body);
    phases.change(kind, mode, change.by(), change.why()).onSuccess(done -> AdminRequests.json(context, 200, phases.toJson())).onFailure(context::fail);
  }


  /**
   * PUT /admin/v1/points/access/{agents|points}/{id} {"enabled":false,"changedBy":"…","why":"…"}:
   * disables (or enables again) a sales-point agent or a whole point, on every node at once.
   */
  private void switchPointAccess(RoutingContext context) {
    PointAccess.Kind kind = PointAccess.Kind.fromPath(context.pathParam("kind")).orElseThrow(() ->
        Problem.of(ProblemCode.NOT_FOUND, "what can be switched is agents/{id} and points/{id}").exception());
    String id = context.pathParam("id");
    if (!PointsConfig.STAFF_ID.matcher(id).matches()) {
      throw Problem.of(ProblemCode.INVALID_STAFF_ID, "an agent or point id is 1 to 64 of A-Z a-z 0-9 . _ -").exception();
    }
    JsonObject body = AdminRequests.objectBody(context);
    if (!(body.getValue("enabled") instanceof Boolean enabled)) {
      throw AdminRequests.invalid("enabled must be true or false");
    }
    AdminRequests.OperatorChange change = AdminRequests.operatorChange(body);
    pointAccess.change(kind, id, enabled, change.by(), change.why())
        .onSuccess(done -> AdminRequests.json(context, 200, done))
        .onFailure(context::fail);
  }



  /** An ISO date of ASCII digits only (no look-alike digits), or the default when absent. */
  private static LocalDate dateParameter(RoutingContext context, String name, LocalDate absent) {
    List<String> values = context.queryParams().getAll(name);
    if (values.isEmpty()) {
      return absent;
    }
    String value = values.get(0);
    if (values.size() > 1 || !ISO_DATE.matcher(value).matches()) {
      throw AdminRequests.invalid(name + " must be one date, YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw AdminRequests.invalid(name + " is not a date of the calendar");
    }
  }

  private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /** Where the risk delta ingestion stands (GET /admin/v1/deltas), once it runs on this node. */
  public void deltaIngestion(Supplier<JsonObject> state) {
    deltaIngestion = () -> state.get().put("enabled", true);
  }

  @Override
  public Future<?> start() {
    consistency = new MapConsistency(vertx, pool, store.map(), metrics.registry());
    if (cardStore.consistencyCheckSeconds() > 0) {
      vertx.setPeriodic(cardStore.consistencyCheckSeconds() * 1000L, id -> {
        if (store.map().ready() && checking == null) {
          runCheck(() -> consistency.sample(cardStore.consistencySampleCards()));
        }
      });
    }
    Router router = Router.router(vertx);
    router.get("/metrics").handler(this::metrics);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);

    router.route("/admin/*").handler(this::authenticateOperator);
    router.get("/admin/v1/cards/:card").handler(this::describeCard);
    router.put("/admin/v1/cards/:card/block").handler(BodyHandler.create(false).setBodyLimit(OPERATOR_BODY_LIMIT));
    router.put("/admin/v1/cards/:card/block").handler(AdminRequests::jsonBodyOnly).handler(this::block);
    router.delete("/admin/v1/cards/:card/block").handler(this::unblock);
    router.get("/admin/v1/deltas").handler(context -> AdminRequests.json(context, 200, deltaIngestion.get()));
    router.get("/admin/v1/consistency").handler(this::checkConsistency);
    router.get("/admin/v1/statistics").handler(this::statistics);
    router.get("/admin/v1/rule-phases").handler(context -> AdminRequests.json(context, 200, phases.toJson()));
    router.put("/admin/v1/rule-phases/:kind").handler(BodyHandler.create(false).setBodyLimit(OPERATOR_BODY_LIMIT));
    router.put("/admin/v1/rule-phases/:kind").handler(AdminRequests::jsonBodyOnly).handler(this::switchPhase);
    router.get("/admin/v1/points/access").handler(context ->
        pointAccess.list().onSuccess(list -> AdminRequests.json(context, 200, list)).onFailure(context::fail));
    router.put("/admin/v1/points/access/:kind/:id").handler(BodyHandler.create(false).setBodyLimit(OPERATOR_BODY_LIMIT));
    router.put("/admin/v1/points/access/:kind/:id").handler(AdminRequests::jsonBodyOnly).handler(this::switchPointAccess);
    featureRoutes.forEach(mount -> mount.accept(router));
    router.get("/admin/v1/violations/dead").handler(context ->
        deadLetters.list(500).onSuccess(list -> AdminRequests.json(context, 200, list)).onFailure(context::fail));
    router.post("/admin/v1/violations/dead/requeue").handler(BodyHandler.create(false).setBodyLimit(REQUEUE_BODY_LIMIT));
    router.post("/admin/v1/violations/dead/requeue").handler(AdminRequests::jsonBodyOnly).handler(this::requeue);
    Problems.install(router, "admin", problem -> { }, failures);

    ListenerGuard guard = new ListenerGuard("admin", config.limits(), config.tls(), metrics.registry());
    return guard.prepare(vertx).compose(tls -> guard.guard(vertx.createHttpServer(guard.apply(new HttpServerOptions().setHost(config.host()).setPort(config.port()))))
        .requestHandler(router)
        .listen())
        .onSuccess(listening -> server = listening);
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void metrics(RoutingContext context) {
    context.response().putHeader(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT).end(metrics.registry().scrape());
  }

  private void live(RoutingContext context) {
    AdminRequests.json(context, 200, new JsonObject().put("status", "UP"));
  }

  /** Readiness answers 503 STOPPING from now on (the node is shutting down). */
  public void stopping() {
    health.stopping();
  }

  private void ready(RoutingContext context) {
    health.report().onSuccess(report -> AdminRequests.json(context, health.ready() ? 200 : 503, report)).onFailure(context::fail);
  }

  private void authenticateOperator(RoutingContext context) {
    String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
    if (!config.operatorActionsEnabled()) {
      context.fail(Problem.of(ProblemCode.OPERATOR_ACTIONS_DISABLED, "set admin.operatorToken to enable them").exception());
      return;
    }
    byte[] expected = ("Bearer " + config.operatorToken()).getBytes(StandardCharsets.UTF_8);
    if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
      context.response().putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"operators\"");
      context.fail(Problem.unauthorized().exception());
      return;
    }
    context.next();
  }

  private void describeCard(RoutingContext context) {
    long card = cardParameter(context);
    operator.describe(card).onSuccess(answer -> AdminRequests.json(context, 200, answer)).onFailure(context::fail);
  }

  private void block(RoutingContext context) {
    long card = cardParameter(context);
    JsonObject body;
    try {
      body = context.body().asJsonObject();
    } catch (RuntimeException e) {
      throw Problem.malformedJson("the body must be a JSON object").exception();
    }
    Object reason = body == null ? null : body.getValue("reason");
    operator.block(card, reason instanceof String text ? text : null, "operator")
        .onSuccess(answer -> AdminRequests.json(context, 200, answer))
        .onFailure(context::fail);
  }

  private void unblock(RoutingContext context) {
    long card = cardParameter(context);
    operator.unblock(card).onSuccess(answer -> AdminRequests.json(context, 200, answer)).onFailure(context::fail);
  }

  /** A body, when there is one, must be declared application/json (at most with charset=UTF-8). */
  private static long cardParameter(RoutingContext context) {
    long card = CardNumber.parse(context.pathParam("card"));
    if (card == CardNumber.INVALID) {
      throw Problem.of(ProblemCode.INVALID_CARD, "the card must be 16 ASCII digits").exception();
    }
    return card;
  }

}
