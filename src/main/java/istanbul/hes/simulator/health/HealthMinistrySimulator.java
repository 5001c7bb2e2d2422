package istanbul.hes.simulator.health;

import istanbul.hes.simulator.BasicCredentials;
import istanbul.hes.simulator.FaultInjection;
import istanbul.hes.simulator.Faults;
import static istanbul.hes.simulator.SimulatorHttp.badRequest;
import static istanbul.hes.simulator.SimulatorHttp.json;
import static istanbul.hes.simulator.SimulatorHttp.jsonBody;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import istanbul.hes.simulator.SimulatorServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A simulated Ministry of Health HES service: a real HTTP server answering
 * {@code POST /check-hes-code} and {@code POST /check-hes-codes} as the ministry's institutional
 * API does (HTTP Basic, masked identity data, 400 {@code errorKey}s), from HES codes held in
 * memory, and serving the risk delta feed ({@code GET /v1/risk-deltas}, {@link RiskDeltaFeed}),
 * with switchable faults. For the demo, tests and load tests; no gateway code depends on it.
 *
 * <p>Operators drive it over HTTP (same Basic credentials) or through the Java API:
 * <pre>
 * POST   /simulator/hes-codes                {"identity_number","first_name","last_name",
 *                                              "status","expiration_date","hes_code"?} → 201 {"hes_code"}
 * PUT    /simulator/people/{identity}/status {"status":"RISKY"|"RISKLESS"} → 200 {"updated":n}
 * PUT    /simulator/faults                   {@link Faults} as JSON → 200 (also for GET /v1/risk-deltas)
 * POST   /simulator/risk-deltas              {"identity","status":"RISKY"|"CLEARED"} → 201 {"seq"}
 * PUT    /simulator/feed-faults              {"duplicate","replay","reorder","gap"} → 200
 * DELETE /simulator/feed-faults              → 204
 * DELETE /simulator/faults                   → 204
 * GET    /simulator/stats                    → 200 {"requests":n,"codes":n,"faults":{…}}
 * </pre>
 *
 * <p>The listener resets connections it closes (SO_LINGER 0): that is how the {@code reset}
 * fault looks to a client. It never closes a connection otherwise unless the client asks for it.
 */
public final class HealthMinistrySimulator extends SimulatorServer {
  public static final String CHECK_PATH = "/check-hes-code";
  public static final String BULK_PATH = "/check-hes-codes";
  public static final String DELTAS_PATH = "/v1/risk-deltas";
  /** Largest page the feed serves; a bigger {@code limit} is a 400. */
  public static final int MAX_PAGE = 10_000;
  public static final String NOT_FOUND = "hescodenotfound";
  public static final String EXPIRED = "hescodehasbeenexpired";

  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
  private static final int BODY_LIMIT = 4 * 1024 * 1024;
  private static final String CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String host;
  private final int port;
  private final BasicCredentials credentials;
  private final Map<String, HesCodeRecord> codes = new ConcurrentHashMap<>();
  private final HesCodeDirectory directory;
  /** Codes of the directory removed through the API. */
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final FaultInjection faults = new FaultInjection();
  private final RiskDeltaFeed deltas = new RiskDeltaFeed(20_201_121L);
  private long generator = -1;

  /** @param port 0 = any free port (see {@link #actualPort()}) */
  public HealthMinistrySimulator(String host, int port, String username, String password) {
    this(host, port, username, password, HesCodeDirectory.NONE);
  }

  /** A simulator that also knows the codes of {@code directory} (a generated population). */
  public HealthMinistrySimulator(String host, int port, String username, String password, HesCodeDirectory directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.credentials = new BasicCredentials(username, password);
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::authenticate);
    router.post(CHECK_PATH).handler(faults::beforeReading);
    router.post(BULK_PATH).handler(faults::beforeReading);
    router.get(DELTAS_PATH).handler(faults::beforeReading);
    router.get(DELTAS_PATH).handler(context -> faults.afterReading(vertx, context));
    router.get(DELTAS_PATH).handler(this::deltaPage);
    router.post().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.put().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post(CHECK_PATH).handler(context -> faults.afterReading(vertx, context));
    router.post(BULK_PATH).handler(context -> faults.afterReading(vertx, context));
    router.post(CHECK_PATH).handler(this::checkOne);
    router.post(BULK_PATH).handler(this::checkMany);
    router.post("/simulator/hes-codes").handler(this::registerCode);
    router.put("/simulator/people/:identity/status").handler(this::setStatus);
    router.put("/simulator/faults").handler(this::setFaults);
    router.post("/simulator/risk-deltas").handler(this::appendDelta);
    router.put("/simulator/feed-faults").handler(this::setFeedFaults);
    router.delete("/simulator/feed-faults").handler(context -> {
      deltas.faults(RiskDeltaFeed.FeedFaults.NONE);
      context.response().setStatusCode(204).end();
    });
    router.delete("/simulator/faults").handler(context -> {
      clearFaults();
      context.response().setStatusCode(204).end();
    });
    router.get("/simulator/stats").handler(this::stats);
    router.route().failureHandler(this::failure);
    return listen(new HttpServerOptions().setHost(host).setPort(port).setSoLinger(0), router);
  }

  /** {@code http://127.0.0.1:<port>}: the base URL the gateway's ministryHealth.baseUrl takes. */
  public String baseUrl() {
    return "http://127.0.0.1:" + actualPort();
  }

  // Java API: records

  /** Adds or replaces a code. */
  public HesCodeRecord register(HesCodeRecord record) {
    String key = record.hesCode().toUpperCase(Locale.ROOT);
    codes.put(key, record);
    removed.remove(key);
    return record;
  }

  /** Issues a new random code for a person. */
  public HesCodeRecord issue(String identityNumber, String firstName, String lastName, HesCodeRecord.Status status, LocalDateTime expiresAt) {
    while (true) {
      HesCodeRecord record = new HesCodeRecord(newCode(), identityNumber, firstName, lastName, status, expiresAt);
      if (codes.putIfAbsent(record.hesCode(), record) == null) {
        return record;
      }
    }
  }

  public Optional<HesCodeRecord> find(String hesCode) {
    return Optional.ofNullable(lookup(hesCode));
  }

  public boolean remove(String hesCode) {
    String key = hesCode.toUpperCase(Locale.ROOT);
    boolean inDirectory = !removed.contains(key) && directory.find(key).isPresent();
    if (inDirectory) {
      removed.add(key);
    }
    return codes.remove(key) != null || inDirectory;
  }

  /** A registered code first, then the directory's (unless removed). */
  private HesCodeRecord lookup(String hesCode) {
    String key = hesCode.toUpperCase(Locale.ROOT);
    HesCodeRecord record = codes.get(key);
    if (record != null || removed.contains(key)) {
      return record;
    }
    return directory.find(key).orElse(null);
  }

  /** Sets the status of every code of a person; returns how many codes changed. */
  public int setStatus(String identityNumber, HesCodeRecord.Status status) {
    int updated = 0;
    for (HesCodeRecord record : directory.ofPerson(identityNumber)) {
      String key = record.hesCode().toUpperCase(Locale.ROOT);
      if (!codes.containsKey(key) && !removed.contains(key)) {
        codes.put(key, record); // overridden below like the registered ones
      }
    }
    for (HesCodeRecord record : codes.values()) {
      if (record.identityNumber().equals(identityNumber)) {
        codes.put(record.hesCode().toUpperCase(Locale.ROOT), record.withStatus(status));
        updated++;
      }
    }
    return updated;
  }

  public int codeCount() {
    return codes.size();
  }

  // Java API: faults and counters

  public void faults(Faults newFaults) {
    faults.set(newFaults);
  }

  public void clearFaults() {
    faults.clear();
  }

  public Faults faults() {
    return faults.current();
  }

  /** Ministry requests received (check-hes-code, check-hes-codes, risk-deltas), faulted ones included. */
  public long requestCount() {
    return faults.requestCount();
  }

  public void resetRequestCount() {
    faults.resetRequestCount();
  }

  // HTTP

  private void authenticate(RoutingContext context) {
    String header = context.request().getHeader("Authorization");
    if (!credentials.accepts(header)) {
      if (isMinistryPath(context)) {
        faults.countRefused();
      }
      context.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"hes\"")
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("errorKey", "unauthorized").encode());
      return;
    }
    context.next();
  }

  private static boolean isMinistryPath(RoutingContext context) {
    String path = context.normalizedPath();
    return CHECK_PATH.equals(path) || BULK_PATH.equals(path) || DELTAS_PATH.equals(path);
  }

  /** The risk delta feed: append deltas to it, switch its page faults, read its last sequence number. */
  public RiskDeltaFeed deltaFeed() {
    return deltas;
  }

  /**
   * Appends deltas continuously, {@code perSecond} on average (in ticks of 100 ms), with identities
   * and statuses from the suppliers (a generated population); 0 stops. Call once deployed.
   */
  public synchronized void generateDeltas(double perSecond, Supplier<String> identities, Supplier<RiskDeltaFeed.Status> statuses) {
    if (generator >= 0) {
      vertx.cancelTimer(generator);
      generator = -1;
    }
    if (perSecond <= 0) {
      return;
    }
    double perTick = perSecond / 10;
    double[] carry = {0};
    generator = vertx.setPeriodic(100, id -> {
      carry[0] += perTick;
      int now = (int) carry[0];
      carry[0] -= now;
      if (now > 0) {
        deltas.appendMany(now, identities, statuses);
      }
    });
  }

  /** GET /v1/risk-deltas?after=&lt;seq&gt;&amp;limit=&lt;n&gt; (after defaults to 0, limit to 1000, at most {@value #MAX_PAGE}). */
  private void deltaPage(RoutingContext context) {
    long after;
    int limit;
    try {
      after = Long.parseLong(context.queryParams().get("after") == null ? "0" : context.queryParams().get("after"));
      limit = Integer.parseInt(context.queryParams().get("limit") == null ? "1000" : context.queryParams().get("limit"));
    } catch (NumberFormatException e) {
      json(context.response(), 400, new JsonObject().put("errorKey", "invalidrequest"));
      return;
    }
    if (after < 0 || limit < 1 || limit > MAX_PAGE) {
      json(context.response(), 400, new JsonObject().put("errorKey", "invalidrequest"));
      return;
    }
    json(context.response(), 200, deltas.page(after, limit).toJson());
  }

  /** POST /simulator/risk-deltas {"identity","status"} → 201 {"seq"}. */
  private void appendDelta(RoutingContext context) {
    JsonObject body = jsonBody(context);
    try {
      String identity = Objects.requireNonNull(body).getString("identity");
      RiskDeltaFeed.Status status = RiskDeltaFeed.Status.valueOf(body.getString("status"));
      if (identity == null || identity.isBlank()) {
        throw new IllegalArgumentException("identity");
      }
      json(context.response(), 201, new JsonObject().put("seq", deltas.append(identity, status)));
    } catch (RuntimeException e) {
      badRequest(context, "a delta needs identity and status RISKY|CLEARED");
    }
  }

  private void setFeedFaults(RoutingContext context) {
    JsonObject body = jsonBody(context);
    try {
      deltas.faults(RiskDeltaFeed.FeedFaults.fromJson(Objects.requireNonNull(body)));
    } catch (RuntimeException e) {
      badRequest(context, "invalid feed faults: " + e.getMessage());
      return;
    }
    json(context.response(), 200, deltas.faults().toJson());
  }


  private void checkOne(RoutingContext context) {
    JsonObject body = jsonBody(context);
    Object code = body == null ? null : body.getValue("hes_code");
    if (!(code instanceof String hesCode)) {
      json(context.response(), 400, new JsonObject().put("errorKey", "invalidrequest"));
      return;
    }
    Object answer = answer(hesCode);
    if (answer instanceof JsonObject check) {
      json(context.response(), 200, check);
    } else {
      json(context.response(), 400, new JsonObject().put("errorKey", answer));
    }
  }

  private void checkMany(RoutingContext context) {
    JsonObject body = jsonBody(context);
    Object list = body == null ? null : body.getValue("hes_codes");
    if (!(list instanceof JsonArray hesCodes)) {
      json(context.response(), 400, new JsonObject().put("errorKey", "invalidrequest"));
      return;
    }
    JsonObject success = new JsonObject();
    JsonObject failure = new JsonObject();
    for (Object item : hesCodes) {
      if (item instanceof String hesCode) {
        Object answer = answer(hesCode);
        if (answer instanceof JsonObject check) {
          success.put(hesCode, check);
        } else {
          failure.put(hesCode, answer);
        }
      }
    }
    json(context.response(), 200, new JsonObject().put("success_map", success).put("unsuccess_map", failure));
  }

  /** The check of one code as the ministry answers it, or its error key. */
  private Object answer(String hesCode) {
    HesCodeRecord record = lookup(hesCode);
    if (record == null) {
      return NOT_FOUND;
    }
    if (!record.expiresAt().isAfter(LocalDateTime.now(ISTANBUL))) {
      return EXPIRED;
    }
    return new JsonObject()
        .put("hes_code", record.hesCode())
        .put("current_health_status", record.status().name())
        .put("masked_identity_number", Masking.identityNumber(record.identityNumber()))
        .put("masked_firstname", Masking.name(record.firstName()))
        .put("masked_lastname", Masking.name(record.lastName()))
        .put("expiration_date", DATE_TIME.format(record.expiresAt()));
  }

  private void registerCode(RoutingContext context) {
    JsonObject body = jsonBody(context);
    if (body == null) {
      badRequest(context, "the body must be a JSON object");
      return;
    }
    HesCodeRecord record;
    try {
      HesCodeRecord.Status status = HesCodeRecord.Status.valueOf(body.getString("status", "RISKLESS").toUpperCase(Locale.ROOT));
      String expiry = body.getString("expiration_date");
      LocalDateTime expiresAt = expiry == null ? HesCodeRecord.NO_EXPIRY
          : expiry.length() == 10 ? java.time.LocalDate.parse(expiry).atStartOfDay() : LocalDateTime.parse(expiry);
      String identity = body.getString("identity_number");
      String first = body.getString("first_name");
      String last = body.getString("last_name");
      String code = body.getString("hes_code");
      if (identity == null || first == null || last == null) {
        badRequest(context, "identity_number, first_name and last_name are required");
        return;
      }
      record = code == null ? issue(identity, first, last, status, expiresAt)
          : register(new HesCodeRecord(code.toUpperCase(Locale.ROOT), identity, first, last, status, expiresAt));
    } catch (IllegalArgumentException | ClassCastException | DateTimeParseException e) {
      badRequest(context, "invalid record: status RISKY|RISKLESS, expiration_date yyyy-MM-dd['T'HH:mm:ss]");
      return;
    }
    json(context.response(), 201, new JsonObject().put("hes_code", record.hesCode())
        .put("expiration_date", DATE_TIME.format(record.expiresAt())));
  }

  private void setStatus(RoutingContext context) {
    JsonObject body = jsonBody(context);
    HesCodeRecord.Status status;
    try {
      status = HesCodeRecord.Status.valueOf(Objects.requireNonNull(body).getString("status").toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      badRequest(context, "the body must be {\"status\":\"RISKY\"|\"RISKLESS\"}");
      return;
    }
    json(context.response(), 200, new JsonObject().put("updated", setStatus(context.pathParam("identity"), status)));
  }

  private void setFaults(RoutingContext context) {
    JsonObject body = jsonBody(context);
    try {
      faults(Faults.fromJson(Objects.requireNonNull(body)));
    } catch (RuntimeException e) {
      badRequest(context, "invalid faults: " + e.getMessage());
      return;
    }
    json(context.response(), 200, faults().toJson());
  }

  private void stats(RoutingContext context) {
    json(context.response(), 200, new JsonObject().put("requests", requestCount()).put("codes", codeCount())
        .put("faults", faults().toJson()).put("deltasLast", deltas.last()).put("feedFaults", deltas.faults().toJson()));
  }

  private void failure(RoutingContext context) {
    int status = context.statusCode() > 0 ? context.statusCode() : 500;
    if (!context.response().ended() && !context.response().closed()) {
      json(context.response(), status, new JsonObject().put("error", status == 413 ? "body too large" : "request failed"));
    }
  }




  private static String newCode() {
    StringBuilder code = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      code.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
    }
    return code.toString();
  }
}
