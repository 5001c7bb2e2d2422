package istanbul.hes.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.CardStatusUpdate;
import istanbul.hes.cardstore.MapLoad;
import istanbul.hes.config.FanoutConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's card map in step with every other node's commits, over a Redis Stream.
 *
 * <p>Publishing: every transaction this node commits is added to the stream as one entry. When
 * Redis refuses one, the changes are still committed (PostgreSQL is the record) and the node adds
 * a catch-up marker as soon as Redis takes writes again, telling every node to catch up from the
 * change log.
 *
 * <p>Following: one connection of its own reads the stream from the node's position (kept in a
 * file, so a restart resumes there) and applies each entry to the map, newest version wins, its
 * own entries skipped. On every (re)connection the stream is checked: if it may have lost entries
 * after the position (trimmed, or Redis lost its data), the node catches up from the PostgreSQL
 * change log and goes on from the stream's end as it was before that catch-up. A lost connection
 * is retried with a doubling pause (the Redis client does not reconnect by itself); taps go on
 * from the map meanwhile. Every {@code fanout.logCatchUpSeconds} the node also catches up from the
 * change log: a change whose node died between commit and publish still arrives.
 */
public final class FanoutVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FanoutVerticle.class);
  private static final long PERSIST_MILLIS = 1_000;

  private final FanoutConfig config;
  private final String redisUrl;
  private final CardStatusStream stream;
  private final String publisher;
  private final Path positionFile;
  private final CardStatusStore store;
  private final Future<MapLoad> mapLoaded;
  private final Supplier<Future<Long>> catchUpFromLog;
  private final FanoutMetrics metrics;
  /** What to do when another node announces a phase switch: read the phases again. */
  private final Runnable phasesSwitched;

  private Redis redis;
  /** The stream reader's own client: its one long-lived connection is not one of the publishers' pool. */
  private Redis readerClient;
  private RedisConnection reader;
  private volatile boolean stopped;
  private volatile boolean publishMissed;
  /** This installation's id, from PostgreSQL at start: every entry published carries it. */
  private String installation;
  private final java.util.Set<String> foreignInstallations = new java.util.HashSet<>();
  /** The last entry applied; null while unknown (first start with Redis down): resync on connect. */
  private StreamId position;
  private StreamId persisted;
  /** The run_id of the Redis the position was read from (null: unknown, e.g. after a node restart). */
  private String positionRunId;
  private long reconnectMillis;
  private boolean lostLogged;
  private long periodic = -1;
  private long catchUpTimer = -1;

  public FanoutVerticle(FanoutConfig config, String redisUrl, String keyPrefix, String nodeId, Path positionFile,
      CardStatusStore store, Future<MapLoad> mapLoaded, Supplier<Future<Long>> catchUpFromLog, MeterRegistry meters,
      Runnable phasesSwitched) {
    this.phasesSwitched = phasesSwitched;
    this.config = config;
    this.redisUrl = redisUrl;
    this.stream = new CardStatusStream(keyPrefix + "card-status", config.streamMaxEntries());
    // Unique per process: two nodes configured with the same id must still see each other's entries.
    this.publisher = nodeId + "/" + UUID.randomUUID().toString().substring(0, 8);
    this.positionFile = positionFile;
    this.store = store;
    this.mapLoaded = mapLoaded;
    this.catchUpFromLog = catchUpFromLog;
    this.metrics = new FanoutMetrics(meters);
    this.reconnectMillis = config.reconnectMillis();
  }

  @Override
  public Future<?> start() {
    // Metrics names of their own: client meters are told apart by them (the node's citizen client is "gateway").
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(4).setMaxPoolWaiting(100_000)
        .setMetricsName("fanout"));
    readerClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(1)
        .setMetricsName("fanout-reader"));
    // Every entry says which installation published it, so a node never applies the cards of
    // another installation sharing this Redis and key prefix (their card numbers can repeat ours).
    return store.installationId().onSuccess(id -> {
      installation = id;
      publishAndFollow();
    }).mapEmpty();
  }

  private void publishAndFollow() {
    store.onCommitted(this::publish);
    periodic = vertx.setPeriodic(PERSIST_MILLIS, id -> {
      persistPosition();
      if (publishMissed) {
        publishCatchUpMarker();
      }
    });
    catchUpTimer = vertx.setPeriodic(config.logCatchUpSeconds() * 1000L, id -> catchUp("periodic"));
    // Where to start is known before the map finishes loading: the stream's end now, unless a
    // position was kept. Entries added meanwhile wait in the stream; the load's own catch-up
    // covers everything committed before.
    readPosition()
        .compose(kept -> kept != null ? Future.succeededFuture(kept) : streamEnd())
        .otherwiseEmpty()
        .onComplete(start -> {
          position = start.result();
          persisted = position;
          mapLoaded.onSuccess(loaded -> context.runOnContext(ignored -> follow()));
        });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(periodic);
    vertx.cancelTimer(catchUpTimer);
    if (reader != null) {
      reader.close();
    }
    return persistPosition().eventually(() -> redis.close()).eventually(() -> readerClient.close());
  }

  // Publishing

  private void publish(List<CardStatusUpdate> updates) {
    if (stopped) {
      return;
    }
    redis.send(stream.publish(publisher, installation, StatusUpdatesCodec.encode(updates)))
        .onSuccess(id -> metrics.published.increment())
        .onFailure(failure -> {
          metrics.publishFailures.increment();
          if (!publishMissed) {
            LOG.warn("status changes could not be published ({}); the other nodes will catch up from the change log", failure.toString());
          }
          publishMissed = true;
        });
  }

  /** Announces that this node switched a rule phase; the others read the phases again. */
  public void announcePhasesSwitched() {
    if (stopped) {
      return;
    }
    redis.send(stream.phasesMarker(publisher, installation)).onFailure(failure -> LOG.warn(
        "a rule phase switch could not be announced ({}); the other nodes read it within their next poll", failure.toString()));
  }

  private void publishCatchUpMarker() {
    publishMissed = false;
    redis.send(stream.catchUpMarker(publisher, installation))
        .onSuccess(id -> LOG.info("Redis takes writes again: asked every node to catch up from the change log"))
        .onFailure(failure -> publishMissed = true);
  }

  // Following

  /** Connects, checks the stream against the position, then reads until the connection fails. */
  private void follow() {
    if (stopped) {
      return;
    }
    readerClient.connect()
        .compose(connection -> {
          reader = connection;
          connection.exceptionHandler(failure -> { });
          // INFO may be refused (a managed Redis): then a restart shows only through the stream itself.
          return connection.send(stream.serverInfo()).map(CardStatusStream::runId).otherwise((String) null)
              .compose(runId -> connection.send(stream.info())
                  .map(CardStatusStream::info)
                  .recover(failure -> CardStatusStream.noSuchStream(failure) ? Future.succeededFuture(CardStatusStream.Info.MISSING)
                      : Future.failedFuture(failure))
                  .compose(info -> {
                    boolean restarted = runId != null && positionRunId != null && !runId.equals(positionRunId);
                    String lost = position == null ? "no position" : info.lossAfter(position, restarted);
                    return lost == null ? Future.<Void>succeededFuture() : resync(lost, info);
                  })
                  .onSuccess(checked -> positionRunId = runId));
        })
        .onSuccess(ready -> {
          metrics.connected.set(1);
          reconnectMillis = config.reconnectMillis();
          if (lostLogged) {
            LOG.info("status fan-out reconnected to Redis at {}", position);
            lostLogged = false;
          }
          read();
        })
        .onFailure(this::connectionLost);
  }

  /** Catches up from the change log, then goes on from the stream's end as it was before. */
  private Future<Void> resync(String reason, CardStatusStream.Info info) {
    StreamId end = info.lastGenerated();
    LOG.info("status fan-out resyncs from the PostgreSQL change log ({}), then follows the stream from {}", reason, end);
    return catchUpCounted(reason).map(applied -> {
      position = end;
      return null;
    });
  }

  private void read() {
    if (stopped) {
      return;
    }
    reader.send(stream.read(position, config.readCount(), config.blockMillis()))
        .onSuccess(reply -> {
          List<CardStatusStream.Entry> entries = stream.entries(reply);
          if (entries.isEmpty()) {
            metrics.lagMillis.set(0);
            read();
            return;
          }
          boolean catchUpAsked = false;
          for (CardStatusStream.Entry entry : entries) {
            if (entry.installation() != null && !installation.equals(entry.installation())) {
              foreign(entry);
            } else if (!publisher.equals(entry.publisher())) {
              if (entry.phasesSwitched()) {
                phasesSwitched.run();
              } else if (entry.catchUpMarker()) {
                catchUpAsked = true;
              } else {
                apply(entry);
              }
            }
            position = entry.id();
          }
          metrics.lagMillis.set(Math.max(0, System.currentTimeMillis() - position.millis()));
          if (catchUpAsked) {
            catchUp("asked").onComplete(done -> read());
          } else {
            read();
          }
        })
        .onFailure(this::connectionLost);
  }

  /**
   * An entry of another installation: two installations share this Redis and key prefix. Never
   * applied (its card numbers and versions are another database's); counted, and said once per
   * installation in one line naming the setting.
   */
  private void foreign(CardStatusStream.Entry entry) {
    metrics.foreign.increment();
    if (foreignInstallations.add(entry.installation())) {
      LOG.error("status fan-out: stream {} carries entries of another installation ({}, this one is {}): two installations "
          + "share this Redis and redis.keyPrefix; their entries are ignored; give each installation its own redis.keyPrefix",
          stream.key(), entry.installation(), installation);
    }
  }

  private void apply(CardStatusStream.Entry entry) {
    List<CardStatusUpdate> updates;
    try {
      updates = StatusUpdatesCodec.decode(entry.updates());
    } catch (IllegalArgumentException unreadable) {
      // Not ours to understand (another version's format): the change log brings it anyway.
      metrics.unreadable.increment();
      return;
    }
    metrics.entriesApplied.increment();
    metrics.cardsChanged.increment(store.applyCommitted(updates));
  }

  private void connectionLost(Throwable failure) {
    metrics.connected.set(0);
    if (reader != null) {
      reader.close();
      reader = null;
    }
    if (stopped) {
      return;
    }
    if (!lostLogged) {
      LOG.warn("status fan-out lost Redis ({}); taps go on from the map, retrying", failure.toString());
      lostLogged = true;
    }
    long pause = reconnectMillis;
    reconnectMillis = Math.min(config.maxReconnectMillis(), reconnectMillis * 2);
    vertx.setTimer(pause, id -> follow());
  }

  private Future<Long> catchUp(String reason) {
    return mapLoaded.succeeded() ? catchUpCounted(reason) : Future.succeededFuture(0L);
  }

  /** A catch-up on the card store's worker, its outcome back on this verticle's event loop. */
  private Future<Long> catchUpCounted(String reason) {
    Promise<Long> done = Promise.promise();
    catchUpFromLog.get().onComplete(outcome -> context.runOnContext(ignored -> {
      if (outcome.succeeded()) {
        metrics.logCatchUp(reason).increment();
        metrics.logCatchUpCards.increment(outcome.result());
      } else {
        LOG.warn("catch-up from the change log ({}) failed: {}", reason, outcome.cause().toString());
      }
      done.handle(outcome);
    }));
    return done.future();
  }

  // Position

  private Future<StreamId> streamEnd() {
    return redis.send(stream.info())
        .map(reply -> CardStatusStream.info(reply).lastGenerated())
        .recover(failure -> CardStatusStream.noSuchStream(failure) ? Future.succeededFuture(StreamId.ZERO)
            : Future.failedFuture(failure));
  }

  /** Plain file I/O on a worker: Vert.x's file system would refuse once the JVM's shutdown hooks have begun. */
  private Future<StreamId> readPosition() {
    return vertx.executeBlocking(() -> {
      if (!Files.exists(positionFile)) {
        return null;
      }
      try {
        return StreamId.parse(Files.readString(positionFile, StandardCharsets.US_ASCII).trim());
      } catch (IllegalArgumentException damaged) {
        LOG.warn("fan-out position file {} is unreadable; resyncing from the change log", positionFile);
        return null;
      }
    }, false);
  }

  /** Written to a temporary file, then moved over the old one: a crash leaves one or the other, whole. */
  private Future<Void> persistPosition() {
    StreamId current = position;
    if (current == null || current.equals(persisted)) {
      return Future.succeededFuture();
    }
    Path temporary = positionFile.resolveSibling(positionFile.getFileName() + ".tmp");
    return vertx.<Void>executeBlocking(() -> {
          Files.writeString(temporary, current.toString(), StandardCharsets.US_ASCII);
          Files.move(temporary, positionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return null;
        }, false)
        .onSuccess(moved -> persisted = current)
        .onFailure(failure -> LOG.warn("fan-out position could not be kept in {}: {}", positionFile, failure.toString()));
  }

  /** The fan-out's meters. */
  private static final class FanoutMetrics {
    final Counter published;
    final Counter publishFailures;
    final Counter entriesApplied;
    final Counter cardsChanged;
    final Counter unreadable;
    final Counter foreign;
    final Counter logCatchUpCards;
    final AtomicLong connected = new AtomicLong();
    final AtomicLong lagMillis = new AtomicLong();
    private final MeterRegistry meters;

    FanoutMetrics(MeterRegistry meters) {
      this.meters = meters;
      published = Counter.builder("gateway_fanout_published").description("Committed transactions published on the stream")
          .register(meters);
      publishFailures = Counter.builder("gateway_fanout_publish_failures")
          .description("Transactions Redis refused to take (other nodes get them from the change log)").register(meters);
      entriesApplied = Counter.builder("gateway_fanout_entries_applied").description("Other nodes' stream entries applied to the map")
          .register(meters);
      cardsChanged = Counter.builder("gateway_fanout_cards_changed").description("Map entries the stream changed (newer versions)")
          .register(meters);
      unreadable = Counter.builder("gateway_fanout_unreadable_entries").description("Stream entries in an unknown format (skipped)")
          .register(meters);
      foreign = Counter.builder("gateway_fanout_foreign_entries")
          .description("Stream entries of another installation sharing this Redis and key prefix (ignored)").register(meters);
      logCatchUpCards = Counter.builder("gateway_fanout_log_catch_up_cards")
          .description("Map entries a change-log catch-up changed (changes the stream had not brought)").register(meters);
      Gauge.builder("gateway_fanout_connected", connected, AtomicLong::get).description("1 while the node follows the stream")
          .register(meters);
      Gauge.builder("gateway_fanout_lag_seconds", lagMillis, millis -> millis.get() / 1000.0)
          .description("Age of the last stream entry read (0 when caught up)").register(meters);
    }

    Counter logCatchUp(String reason) {
      return Counter.builder("gateway_fanout_log_catch_ups").description("Catch-ups from the PostgreSQL change log, by reason")
          .tag("reason", reason).register(meters);
    }
  }
}
