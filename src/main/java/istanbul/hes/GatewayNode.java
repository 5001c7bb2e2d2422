package istanbul.hes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import istanbul.hes.admin.AdminVerticle;
import istanbul.hes.auth.TokenKeys;
import istanbul.hes.auth.TokenSettings;
import istanbul.hes.campaign.CampaignFeature;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.CardStoreVerticle;
import istanbul.hes.cardstore.MapLoad;
import istanbul.hes.citizen.api.CitizenVerticle;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.citizen.challenge.sms.HttpSmsGateway;
import istanbul.hes.citizen.challenge.sms.SmsGateway;
import istanbul.hes.citizen.hes.HesCodeLinking;
import istanbul.hes.citizen.hes.HesRecheckVerticle;
import istanbul.hes.citizen.ratelimit.RateLimiter;
import istanbul.hes.citizen.ratelimit.RateScope;
import istanbul.hes.citizen.store.CitizenRepository;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.PointsConfig;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.db.Database;
import istanbul.hes.delta.DeltaFeedClient;
import istanbul.hes.delta.DeltaIngestVerticle;
import istanbul.hes.delta.DeltaRepository;
import istanbul.hes.display.DisplayMessages;
import istanbul.hes.fanout.FanoutVerticle;
import istanbul.hes.hotlist.HotlistHandler;
import istanbul.hes.http.ApiContract;
import istanbul.hes.http.ListenerGuard;
import istanbul.hes.http.OutboundTrust;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.keys.KeyRotationStatus;
import istanbul.hes.keys.KeyRotationVerticle;
import istanbul.hes.keys.PersonKeys;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.metrics.NodeMetrics;
import istanbul.hes.ministry.health.HealthMinistryClient;
import istanbul.hes.personaldata.PersonRequests;
import istanbul.hes.personaldata.PersonRequestsAdmin;
import istanbul.hes.personaldata.PurgeVerticle;
import istanbul.hes.phases.RulePhaseService;
import istanbul.hes.points.PointAccess;
import istanbul.hes.points.PointsVerticle;
import istanbul.hes.portal.PortalPages;
import istanbul.hes.statistics.StatisticsReports;
import istanbul.hes.statistics.StatisticsVerticle;
import istanbul.hes.statistics.TapActivity;
import istanbul.hes.tap.TapMetrics;
import istanbul.hes.tap.TapVerticle;
import istanbul.hes.tap.ValidatorClusters;
import istanbul.hes.violation.ViolationDeliveryVerticle;
import istanbul.hes.violation.ViolationRecorder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node on the PostgreSQL and Redis its configuration names (it never starts servers
 * of its own: those are the demo's and the tests'): checks its settings, migrates the schema, creates the pools
 * and shared services once and hands them to one verticle per concern, started in the order
 * {@link #parts} declares and stopped in the reverse order.
 */
public final class GatewayNode {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);
  private static final long CLOSE_WAIT_SECONDS = 5;
  /** The backstop of the fan-out's announcement of a phase switch (one single-row query). */
  private static final long PHASES_POLL_MILLIS = 5_000;

  private final GatewayConfig config;
  private final Vertx vertx;
  private final NodeMetrics metrics;
  /** The parts started so far, the newest first: the order they stop in. */
  private final Deque<Started> started = new ArrayDeque<>();
  private CitizenVerticle citizen;
  /** The sales points' listener; null when points.enabled is false. */
  private PointsVerticle points;
  private PointAccess pointAccess;
  /** The personalization campaign: contacts, the operators' routes, the sender. */
  private CampaignFeature campaigns;
  private ChallengeService challenges;
  private RateLimiter limits;
  private HesCodeLinking linking;
  private HealthMinistryClient healthMinistry;
  private CitizenRepository citizenRepository;
  private Pool pool;
  /** The keys of personal data: one instance for every feature that hashes, encrypts or decrypts it. */
  private IdentityProtector protector;
  /** People's and codes' hashes under every known key, and their moves to the current one. */
  private PersonKeys personKeys;
  private Redis redis;
  /** Outages of PostgreSQL and Redis: counted, and logged once per interval, by every feature. */
  private DependencyFailures dependencyFailures;
  private CardStatusMap map;
  private CardStatusStore store;
  private CardStoreVerticle cardStore;
  private AdminVerticle admin;
  private final List<TapVerticle> taps = new ArrayList<>();
  private ViolationRecorder violations;
  /** What the tap listener records for the statistics; null when they are off. */
  private TapActivity tapActivity;
  private long clustersWatch;
  /** The validators' screen texts, and the timer that re-reads them. */
  private DisplayMessages displayMessages;
  private long displayMessagesWatch;
  /** The rule's phases per kind of card, switched at runtime, and the timer that re-reads them. */
  private RulePhaseService rulePhases;
  private long phasesWatch;

  private GatewayNode(GatewayConfig config, Vertx vertx, NodeMetrics metrics) {
    this.config = config;
    this.vertx = vertx;
    this.metrics = metrics;
  }

  /** Extra routes the load test mounts on the tap listener (comparison endpoints); none in production. */
  public record Options(Consumer<Router> extraTapRoutes) {
    public static final Options PRODUCTION = new Options(router -> { });
  }

  public static Future<GatewayNode> start(GatewayConfig config) {
    return start(config, Options.PRODUCTION);
  }

  public static Future<GatewayNode> start(GatewayConfig configured, Options options) {
    try {
      configured.requireServers();
    } catch (StartupFailure failure) {
      return Future.failedFuture(failure);
    }
    NodeMetrics metrics = new NodeMetrics(configured.node().id());
    VertxOptions vertxOptions = new VertxOptions()
        .setPreferNativeTransport(true)
        .setMetricsOptions(metrics.vertxMetricsOptions())
        .setMaxEventLoopExecuteTime(configured.node().eventLoopWarningMillis())
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.max(10, configured.node().eventLoopWarningMillis() / 2))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
    if (configured.node().eventLoops() > 0) {
      vertxOptions.setEventLoopPoolSize(configured.node().eventLoops());
    }
    Vertx vertx = Vertx.builder().with(vertxOptions).withMetrics(metrics.vertxMetricsFactory()).build();
    // Completed outside Vert.x: a failed start closes this Vert.x, whose contexts then can no
    // longer run the caller's callbacks, so the outcome must not be bound to one of them.
    CompletableFuture<GatewayNode> outcome = new CompletableFuture<>();
    AtomicReference<GatewayNode> created = new AtomicReference<>();
    vertx.executeBlocking(() -> prepare(configured))
        .compose(prepared -> {
          GatewayNode node = new GatewayNode(configured, vertx, metrics);
          created.set(node);
          return node.deploy(options, prepared);
        })
        .onSuccess(outcome::complete)
        .onFailure(failure -> {
          // Main tells the operator in one line; the trace is for --debug.
          LOG.debug("node start failed", failure);
          GatewayNode node = created.get();
          if (node == null) {
            closeVertx(vertx, () -> outcome.completeExceptionally(failure));
          } else {
            // What did start stops in order (the map loading in the background included); the stop closes Vert.x.
            node.stop().onComplete(stopped -> outcome.completeExceptionally(failure));
          }
        });
    return Future.fromCompletionStage(outcome);
  }

  /** What the blocking start-up work read: the identity provider's key, the validators' screen texts. */
  private record Prepared(TokenSettings tokens, Optional<TokenSettings> pointTokens, DisplayMessages displayMessages) {}

  /**
   * Blocking start-up work, on a worker, cheapest checks first so that a wrong setting is
   * reported before anything is touched: the identity providers' keys, the trust files, the
   * validators' screen texts, a writable data folder, then the database (migrations).
   */
  private static Prepared prepare(GatewayConfig config) {
    TokenSettings tokens = TokenKeys.citizen(config);
    Optional<TokenSettings> pointTokens = TokenKeys.points(config);
    OutboundTrust.check("ministryHealth.trustFile", config.ministryHealth().trustFile());
    OutboundTrust.check("ministryInterior.trustFile", config.ministryInterior().trustFile());
    OutboundTrust.check("citizen.smsTrustFile", config.citizen().smsTrustFile());
    DisplayMessages displayMessages = DisplayMessages.read(config.displayMessages());
    StartupChecks.requireWritableDataFolders(config);
    Database.migrate(config.database());
    return new Prepared(tokens, pointTokens, displayMessages);
  }

  private Future<GatewayNode> deploy(Options options, Prepared prepared) {
    TokenSettings tokens = prepared.tokens();
    displayMessages = prepared.displayMessages();
    displayMessagesWatch = displayMessages.watch(vertx);
    pool = Database.pool(vertx, config.database());
    protector = new IdentityProtector(config.security());
    personKeys = new PersonKeys(protector);
    // Every citizen request makes two rate-limit calls: a burst must queue, not fail at the
    // client's default of 24 waiting calls.
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redis().url()).setMetricsName("gateway")
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(4096));
    dependencyFailures = new DependencyFailures(metrics.registry(), config.node().failureLogInterval());
    map = new CardStatusMap();
    store = new CardStatusStore(pool, map);
    metrics.watchCardMap(map);
    TapMetrics tapMetrics = new TapMetrics(metrics.registry(), config.node().id());
    violations = new ViolationRecorder(vertx, pool, config.violations(), dependencyFailures).registerMeters(metrics.registry());
    tapActivity = config.statistics().enabled()
        ? new TapActivity(config.tap().timeZone(), config.statistics().lateTapDays(), System::currentTimeMillis, vertxEventLoops())
        : null;

    citizenRepository = new CitizenRepository(pool, store, protector);
    healthMinistry = new HealthMinistryClient(vertx, config.ministryHealth());
    prepareCitizenServices();
    pointAccess = new PointAccess(pool);
    StatisticsReports statisticsReports = new StatisticsReports(vertx, pool, config.tap().timeZone());
    campaigns = new CampaignFeature(vertx, config, pool, protector, challenges, statisticsReports, metrics.registry(),
        dependencyFailures);
    rulePhases = new RulePhaseService(pool, config.tap().anonymousPolicy());
    cardStore = new CardStoreVerticle(config.cardStore(), pool, map);
    admin = new AdminVerticle(config.admin(), config.cardStore(), metrics, store, pool, redis, dependencyFailures,
        statisticsReports, rulePhases, pointAccess, List.of(campaigns.admin()::mount,
        new KeyRotationStatus(pool, protector, config.security())::mount,
        new PersonRequestsAdmin(new PersonRequests(vertx, pool, store, personKeys), config.admin(), metrics.registry())::mount));

    // The phases PostgreSQL holds, before the first tap is taken.
    return rulePhases.reload().compose(modes -> {
      phasesWatch = rulePhases.watch(vertx, PHASES_POLL_MILLIS);
      return ValidatorClusters.load(vertx, config.tap().clustersFile());
    }).compose(clusters -> {
      clustersWatch = clusters.watch(vertx, config.tap().clustersReloadSeconds() * 1000L);
      Future<Void> deployed = Future.succeededFuture();
      for (Part part : parts(options, tokens, prepared.pointTokens(), clusters, tapMetrics)) {
        deployed = deployed.compose(ignored -> part.start().get().map(id -> {
          started.push(new Started(part, id));
          return null;
        }));
      }
      return deployed.map(ignored -> {
        cardStore.loaded().onSuccess(metrics::mapLoaded);
        LOG.info("node {} listening: taps on {}, citizens on {}, sales points on {}, admin on {}; database {}, redis {}",
            config.node().id(), tapPort(), citizenPort(), points == null ? "none (points.enabled false)" : pointsPort(),
            adminPort(), config.database(), config.redis());
        return this;
      });
    });
  }

  /**
   * One concern of the node, and what follows its stop (null id: its feature is off). The parts
   * are declared once, in {@link #parts}; adding a concern is one line there.
   */
  private record Part(String name, Supplier<Future<String>> start, Supplier<Future<Void>> afterStop) {
    Part(String name, Supplier<Future<String>> start) {
      this(name, start, Future::succeededFuture);
    }
  }

  private record Started(Part part, String deployment) {}

  /**
   * The node's parts in start order; they stop in the reverse order. The card store first (its map
   * loads in the background, so health and readiness answer at once), the operators' listener,
   * the background concerns (the campaign sender among them), the citizens' and the sales points' listeners, and the validators' listener last: taps are
   * taken only once everything they rely on runs, and they are the first to stop (then the
   * violation records still waiting are written; the map is closed last, clean for a warm start).
   */
  private List<Part> parts(Options options, TokenSettings tokens, Optional<TokenSettings> pointTokens, ValidatorClusters clusters,
      TapMetrics tapMetrics) {
    return List.of(
        new Part("card store", this::deployCardStore),
        new Part("admin listener", this::deployAdmin),
        new Part("status fan-out", this::deployFanout),
        new Part("violation delivery", this::deployViolationDelivery),
        new Part("risk delta ingestion", this::deployDeltaIngestion),
        new Part("HES code re-check", this::deployRecheck),
        new Part("key rotation", () -> vertx.deployVerticle(
            new KeyRotationVerticle(config.security(), pool, personKeys, metrics.registry(), dependencyFailures))),
        new Part("personal data purge", () -> vertx.deployVerticle(
            new PurgeVerticle(config.personalData(), pool, store, metrics.registry(), dependencyFailures))),
        new Part("statistics", this::deployStatistics),
        new Part("campaign sender", () -> vertx.deployVerticle(campaigns.sender())),
        new Part("citizen listener", () -> deployCitizen(tokens)),
        new Part("sales points listener", () -> deployPoints(pointTokens)),
        new Part("tap listener", () -> deployTaps(options, clusters, tapMetrics), this::drainViolations));
  }

  /** The map's loader runs on a worker: a rebuild holds it for minutes, never an event loop. */
  private Future<String> deployCardStore() {
    return vertx.deployVerticle(cardStore, new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setMaxWorkerExecuteTime(10)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
  }

  private Future<String> deployAdmin() {
    return vertx.deployVerticle(admin)
        .recover(failure -> Future.failedFuture(StartupChecks.listenFailure("admin", config.admin().host(), config.admin().port(), failure)));
  }

  /** One tap verticle per event loop, sharing the listener and its connection bounds. */
  private Future<String> deployTaps(Options options, ValidatorClusters clusters, TapMetrics tapMetrics) {
    ListenerGuard tapGuard = new ListenerGuard("tap", config.tap().limits(), config.tap().tls(), metrics.registry());
    HotlistHandler hotlist = new HotlistHandler(vertx, pool, config.tap().timeZone(), rulePhases.phases());
    return vertx.deployVerticle(() -> {
      TapVerticle tap = new TapVerticle(config.tap(), map, clusters, tapMetrics, options.extraTapRoutes(), violations,
          drainTimeout(), hotlist, dependencyFailures, tapGuard, tapActivity, displayMessages, rulePhases.phases());
      synchronized (taps) {
        taps.add(tap);
      }
      return tap;
    }, new DeploymentOptions().setInstances(vertxEventLoops()))
        .recover(failure -> Future.failedFuture(StartupChecks.listenFailure("tap", config.tap().host(), config.tap().port(), failure)));
  }

  /** The challenges, rate limits and HES code linking the citizens' and the sales points' listeners share. */
  private void prepareCitizenServices() {
    CitizenConfig settings = config.citizen();
    SmsGateway sms = new HttpSmsGateway(vertx, settings.smsGatewayUrl(), settings.smsTimeoutMillis(), settings.smsTrustFile());
    String prefix = config.redis().keyPrefix();
    challenges = new ChallengeService(redis, prefix, settings, sms, protector, Clock.systemUTC(), dependencyFailures);
    limits = new RateLimiter(redis, prefix, settings, config.points(), protector, Clock.systemUTC(), dependencyFailures);
    linking = new HesCodeLinking(healthMinistry, citizenRepository, Clock.systemUTC(), config.tap().timeZone());
    watchCitizenDependencies(limits, healthMinistry);
  }

  private Future<String> deployCitizen(TokenSettings tokens) {
    CitizenConfig settings = config.citizen();
    return ApiContract.load(vertx, CitizenVerticle.OPERATIONS).compose(contract -> {
      citizen = new CitizenVerticle(settings, contract, tokens, challenges, limits, citizenRepository, linking, campaigns.contacts(),
          metrics.registry(), drainTimeout(), dependencyFailures,
          config.portal().enabled() ? Optional.of(new PortalPages(config.portal(), settings)) : Optional.empty());
      return vertx.deployVerticle(citizen)
          .recover(failure -> Future.failedFuture(StartupChecks.listenFailure("citizen", settings.host(), settings.port(), failure)));
    });
  }

  /** The sales points' listener, when it is on (null id otherwise). */
  private Future<String> deployPoints(Optional<TokenSettings> tokens) {
    PointsConfig settings = config.points();
    if (tokens.isEmpty()) {
      LOG.info("sales points listener off (points.enabled false)");
      return Future.succeededFuture();
    }
    return ApiContract.load(vertx, PointsVerticle.OPERATIONS.keySet()).compose(contract -> {
      points = new PointsVerticle(settings, config.citizen(), contract, tokens.get(), redis, config.redis().keyPrefix(), challenges,
          pool, protector, pointAccess, limits, citizenRepository, linking, metrics.registry(), drainTimeout(), dependencyFailures);
      return vertx.deployVerticle(points)
          .recover(failure -> Future.failedFuture(StartupChecks.listenFailure("points", settings.host(), settings.port(), failure)));
    });
  }

  /** Metrics of what the citizen API depends on: the ministry's breaker, rate limits let through uncounted. */
  private void watchCitizenDependencies(RateLimiter limits, HealthMinistryClient ministry) {
    Gauge.builder("gateway_ministry_health_breaker_open", ministry,
            client -> client.breakerState() == CircuitBreakerState.CLOSED ? 0 : 1)
        .description("1 while the Ministry of Health circuit breaker is open or half-open (checks fail with 503)")
        .register(metrics.registry());
    for (RateScope scope : RateScope.values()) {
      FunctionCounter.builder("gateway_citizen_rate_limit_fail_open", limits,
              limiter -> limiter.failOpenCount(scope))
          .description("Citizen requests let through uncounted because Redis failed (fail-open scopes)")
          .tag("scope", scope.id())
          .register(metrics.registry());
    }
  }

  /** Status fan-out between the cluster's nodes over Redis, unless turned off (null id then). */
  private Future<String> deployFanout() {
    if (!config.fanout().enabled()) {
      LOG.info("status fan-out off (fanout.enabled false): this node's map follows its own changes and the change log");
      return Future.succeededFuture();
    }
    Path mapFile = config.cardStore().mapFile();
    FanoutVerticle fanout = new FanoutVerticle(config.fanout(), config.redis().url(), config.redis().keyPrefix(), config.node().id(),
        mapFile.resolveSibling(mapFile.getFileName() + ".fanout-position"), store, cardStore.loaded(), cardStore::catchUpFromLog,
        metrics.registry(), () -> rulePhases.reload());
    rulePhases.onSwitched(fanout::announcePhasesSwitched);
    return vertx.deployVerticle(fanout);
  }

  /** Delivery of the violation outbox, when the Ministry of Interior is configured (null id otherwise). */
  private Future<String> deployViolationDelivery() {
    if (!config.ministryInterior().configured()) {
      LOG.info("violation delivery off (ministryInterior.baseUrl not set): reports stay in the outbox");
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new ViolationDeliveryVerticle(config.ministryInterior(), pool, protector, metrics.registry(),
        dependencyFailures, violations::recordsWritten));
  }

  /** Ingestion of the ministry's risk delta feed, when on and the ministry is configured (null id otherwise). */
  private Future<String> deployDeltaIngestion() {
    if (!config.riskDeltas().enabled() || !config.ministryHealth().configured()) {
      LOG.info("risk delta ingestion off ({})",
          config.riskDeltas().enabled() ? "ministryHealth.baseUrl not set" : "riskDeltas.enabled false");
      return Future.succeededFuture();
    }
    DeltaIngestVerticle ingestion = new DeltaIngestVerticle(config.riskDeltas(),
        new DeltaFeedClient(vertx, config.ministryHealth(), config.riskDeltas()), new DeltaRepository(pool, store, personKeys), personKeys,
        metrics.registry());
    admin.deltaIngestion(ingestion::state);
    return vertx.deployVerticle(ingestion);
  }

  /**
   * The statistics' writer, when statistics are on (null id otherwise). Started before the tap
   * listener and stopped after it: its last flush holds the last taps.
   */
  private Future<String> deployStatistics() {
    if (tapActivity == null) {
      LOG.info("statistics off (statistics.enabled false): taps are not recorded");
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new StatisticsVerticle(config.statistics(), tapActivity, config.node().id(), pool,
        metrics.registry(), dependencyFailures), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
  }

  /** The periodic HES code re-check, when it is on and the ministry is configured (null id otherwise). */
  private Future<String> deployRecheck() {
    if (!config.hesRecheck().enabled() || !config.ministryHealth().configured()) {
      LOG.info("HES code re-check off ({})", config.hesRecheck().enabled() ? "ministryHealth.baseUrl not set" : "hesRecheck.intervalSeconds 0");
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new HesRecheckVerticle(config.hesRecheck(), healthMinistry, citizenRepository,
        metrics.registry(), Clock.systemUTC(), config.tap().timeZone(), dependencyFailures));
  }

  /** Requests in flight at shutdown are answered within this; the rest of the stop fits in the other half of the grace. */
  private Duration drainTimeout() {
    return Duration.ofMillis(config.node().shutdownGraceSeconds() * 500L);
  }

  private int vertxEventLoops() {
    return config.node().eventLoops() > 0 ? config.node().eventLoops() : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /**
   * Graceful: readiness turns STOPPING, the tap listener refuses new connections and answers the
   * taps in flight (no reader may outlive the map, and a risk denial is answered once recorded),
   * then the violation records still waiting are written, then the other concerns stop, the map is
   * closed cleanly (the next start is warm), and the pools go last.
   */
  public Future<Void> stop() {
    vertx.cancelTimer(clustersWatch);
    vertx.cancelTimer(displayMessagesWatch);
    vertx.cancelTimer(phasesWatch);
    if (admin != null) {
      admin.stopping();
    }
    // Each part stops in turn, newest first, even when one before it failed to (the map must still be closed last).
    Future<Void> undeployed = Future.succeededFuture();
    for (Started part : started) {
      undeployed = undeployed.eventually(() -> part.deployment() == null ? Future.succeededFuture() : undeploy(part))
          .eventually(() -> part.part().afterStop().get());
    }
    Promise<Void> stopped = Promise.promise();
    undeployed
        .eventually(() -> {
          if (healthMinistry != null) {
            healthMinistry.close();
          }
          return pool.close();
        })
        .eventually(() -> redis.close())
        .onComplete(ignored -> closeVertx(vertx, stopped::complete));
    return stopped.future();
  }

  private Future<Void> undeploy(Started part) {
    long began = System.nanoTime();
    return vertx.undeploy(part.deployment())
        .onSuccess(done -> LOG.debug("{} stopped in {} ms", part.part().name(), (System.nanoTime() - began) / 1_000_000))
        .onFailure(failure -> LOG.warn("{} did not stop cleanly (after {} ms): {}", part.part().name(),
            (System.nanoTime() - began) / 1_000_000, failure.toString()));
  }

  private Future<Void> drainViolations() {
    int pending = violations.pending();
    return violations.drain().onComplete(done -> {
      if (pending > 0) {
        LOG.info("violation records flushed at shutdown: {}", pending);
      }
    });
  }

  /**
   * Vert.x cannot always report its own close (the context the report is bound to may be gone
   * first), so the close is awaited on a plain thread, for a bounded time, before what follows.
   */
  private static void closeVertx(Vertx vertx, Runnable after) {
    new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        LOG.warn("Vert.x did not report its close within {} s; going on", CLOSE_WAIT_SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | RuntimeException e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      } finally {
        after.run();
      }
    }, "node-close").start();
  }

  // The node's public API beyond start and stop: what an embedding program (the command line,
  // the demo, the tests' fixtures, the benchmarks) needs to know of a running node. Everything
  // else about it is reached the way operators reach it: its listeners, its metrics, its database.

  /** The configuration the node runs with. */
  public GatewayConfig config() {
    return config;
  }

  /** Completes when the card map is loaded: the node answers taps from then on (readiness turns UP). */
  public Future<MapLoad> mapLoaded() {
    return cardStore.loaded();
  }

  /** The port the tap listener is bound to (the configured one, or the one chosen for port 0). */
  public int tapPort() {
    return taps.get(0).actualPort();
  }

  /** The port of every tap verticle instance: one value when they share the listener. */
  public Set<Integer> tapPorts() {
    synchronized (taps) {
      return taps.stream().map(TapVerticle::actualPort).collect(Collectors.toUnmodifiableSet());
    }
  }

  public int citizenPort() {
    return citizen.actualPort();
  }

  /** The port of the sales points' listener; fails when points.enabled is false. */
  public int pointsPort() {
    if (points == null) {
      throw new IllegalStateException("the sales points listener is off (points.enabled false)");
    }
    return points.actualPort();
  }

  public int adminPort() {
    return admin.actualPort();
  }
}
