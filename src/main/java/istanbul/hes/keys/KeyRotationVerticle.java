package istanbul.hes.keys;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.config.SecurityConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves every personal record to the current keys, in the background: kind by kind, each once
 * those before it are done ({@link RotatedRecords}), a batch of {@code security.rotationBatchRows} rows per transaction,
 * at most {@code security.rotationRowsPerSecond} rows a second. Each batch commits with the
 * kind's position (table {@code key_rotation}), so a stopped or killed node resumes where it
 * was, and a kind is worked by one node at a time (its position row is locked by the batch;
 * another node skips that kind). A pass ends at the last row, with a full count of the values
 * under each key id; a pass that moved something is followed by another at once, one that moved
 * nothing is repeated every {@code security.rotationVerifySeconds} (a node still on the old key
 * during a rolling restart may have written some).
 *
 * <p>Key ids only go up: a node whose current keys are older than a kind's target leaves it
 * alone (said once, with the settings to check), so the two phases of a rolling restart do not
 * undo each other.
 */
public final class KeyRotationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRotationVerticle.class);
  private static final long IDLE_MILLIS = 5_000;

  private final SecurityConfig config;
  private final Pool pool;
  private final IdentityProtector protector;
  private final PersonKeys keys;
  private final DependencyFailures failures;
  private final ThrottledLog log;
  private final MeterRegistry meters;
  private final Map<String, AtomicLong> notCurrent = new HashMap<>();
  private List<RotatedRecords> kinds;
  private volatile boolean stopped;
  private long timer = -1;

  public KeyRotationVerticle(SecurityConfig config, Pool pool, PersonKeys keys, MeterRegistry meters, DependencyFailures failures) {
    this.config = config;
    this.pool = pool;
    this.keys = keys;
    this.protector = keys.protector();
    this.meters = meters;
    this.failures = failures;
    this.log = failures.throttled(LOG);
  }

  @Override
  public Future<?> start() {
    kinds = RotatedRecords.all(vertx, keys);
    for (RotatedRecords records : kinds) {
      AtomicLong values = new AtomicLong();
      notCurrent.put(records.kind, values);
      Gauge.builder("gateway_key_rotation_values_not_current", values, AtomicLong::get)
          .description("Personal values (sealed values and hashes) not under the current keys, as the last full count of a "
              + "pass on this node found them (0: none, or no pass finished here yet)")
          .tag("kind", records.kind)
          .register(meters);
    }
    if (config.rotationRowsPerSecond() == 0) {
      LOG.info("key rotation job off on this node (security.rotationRowsPerSecond is 0)");
      return Future.succeededFuture();
    }
    schedule(1_000);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void schedule(long delayMillis) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, delayMillis), id -> round().onComplete(done -> {
        int rows = done.succeeded() ? done.result() : 0;
        schedule(rows == 0 ? IDLE_MILLIS : rows * 1000L / config.rotationRowsPerSecond());
      }));
    }
  }

  /**
   * One batch of every kind that has work; the rows they examined. Never fails: a kind's failure
   * is logged and counted, and the other kinds go on.
   */
  Future<Integer> round() {
    Future<Integer> total = Future.succeededFuture(0);
    for (RotatedRecords records : kinds) {
      total = total.compose(sum -> step(records).recover(failure -> {
        DependencyFailures.outage(failure).ifPresent(dependency -> failures.count(dependency, "key_rotation"));
        log.warn("step-" + records.kind, "key rotation of {} failed: {}", records.kind, DependencyFailures.summary(failure));
        return Future.succeededFuture(0);
      }).map(rows -> sum + rows));
    }
    return total;
  }

  /** One batch of one kind, in one transaction with its position; the rows it examined. */
  Future<Integer> step(RotatedRecords records) {
    short encryption = (short) protector.encryptionKeyId();
    short hash = (short) protector.hashKeyId();
    return pool.withTransaction(connection -> connection.preparedQuery(KeyRotationSql.START_KIND)
        .execute(Tuple.of(records.kind, encryption, hash))
        .compose(ignored -> connection.preparedQuery(KeyRotationSql.CLAIM_KIND).execute(Tuple.of(records.kind)))
        .compose(claimed -> {
          if (claimed.size() == 0) {
            return Future.succeededFuture(0); // another node is on it
          }
          Row position = claimed.iterator().next();
          short targetEncryption = position.getShort(0);
          short targetHash = position.getShort(1);
          boolean finished = position.getBoolean(5);
          if (targetEncryption != encryption || targetHash != hash) {
            if (encryption < targetEncryption || hash < targetHash) {
              log.warn("older-" + records.kind, "key rotation: this node's current keys (encryption key id {}, hash key id {}) are "
                  + "older than the job's target (encryption {}, hash {}): it leaves {} alone; check "
                  + "security.identityEncryptionKeyId and security.identityHashKeyId on this node",
                  encryption, hash, targetEncryption, targetHash, records.kind);
              return Future.succeededFuture(0);
            }
            return newPass(connection, records, encryption, hash, "");
          }
          if (finished) {
            boolean movedSomething = position.getLong(4) > 0;
            boolean verifyDue = position.getLong(6) >= config.rotationVerifySeconds();
            return movedSomething || verifyDue ? newPass(connection, records, encryption, hash, "") : Future.succeededFuture(0);
          }
          return batch(connection, records, position.getString(3), encryption, hash);
        }));
  }

  private Future<Integer> newPass(SqlConnection connection, RotatedRecords records, short encryption, short hash, String after) {
    return connection.preparedQuery(KeyRotationSql.NEW_PASS).execute(Tuple.of(records.kind, encryption, hash))
        .compose(ignored -> batch(connection, records, after, encryption, hash));
  }

  private Future<Integer> batch(SqlConnection connection, RotatedRecords records, String after, short encryption, short hash) {
    Future<Boolean> ready = connection.preparedQuery(KeyRotationSql.EARLIER_SETTLED)
        .execute(Tuple.of(RotatedRecords.before(records.kind), encryption, hash))
        .map(rows -> rows.iterator().next().getBoolean(0));
    return ready.compose(go -> {
      if (!go) {
        return Future.succeededFuture(0);
      }
      int limit = config.rotationBatchRows();
      String from = after.isEmpty() ? records.start : after;
      return connection.preparedQuery(records.due).execute(Tuple.of(from, limit, encryption, hash)).compose(due -> {
        Future<RotatedRecords.Batch> moved = due.size() == 0
            ? Future.succeededFuture(new RotatedRecords.Batch(0, 0, 0, 0, 0, from))
            : records.move(connection, due);
        return moved.compose(batch -> {
          count(records.kind, batch);
          Future<Void> advanced = connection.preparedQuery(KeyRotationSql.ADVANCE)
              .execute(Tuple.of(records.kind, batch.position(), batch.moved() + batch.forgotten(), batch.unrecoverable(),
                  batch.conflicts()))
              .mapEmpty();
          if (batch.conflicts() > 0) {
            log.warn("conflict-" + records.kind, "key rotation: {} {} rows could not move to hash key {}: the same person or "
                + "HES code is stored twice, once under each key (written while nodes disagreed on the current key); "
                + "see GET /admin/v1/keys", batch.conflicts(), records.kind, hash);
          }
          return due.size() < limit ? advanced.compose(ignored -> finishPass(connection, records)).map(due.size())
              : advanced.map(due.size());
        });
      });
    });
  }

  private Future<Void> finishPass(SqlConnection connection, RotatedRecords records) {
    return connection.query(records.count).execute().compose(rows -> {
      JsonObject counted = rows.iterator().next().getJsonObject(0);
      notCurrent.get(records.kind).set(KeyRotationStatus.notCurrent(counted, protector.encryptionKeyId(), protector.hashKeyId()));
      return connection.preparedQuery(KeyRotationSql.FINISH_PASS).execute(Tuple.of(records.kind, counted)).mapEmpty();
    });
  }

  private void count(String kind, RotatedRecords.Batch batch) {
    increment(kind, "moved", batch.moved());
    increment(kind, "forgotten", batch.forgotten());
    increment(kind, "unrecoverable", batch.unrecoverable());
    increment(kind, "conflict", batch.conflicts());
  }

  private void increment(String kind, String outcome, long amount) {
    if (amount > 0) {
      Counter.builder("gateway_key_rotation_records")
          .description("Personal records the key rotation job handled: moved to the current keys, pseudonyms forgotten, "
              + "left under an old key (unrecoverable, conflict)")
          .tag("kind", kind)
          .tag("outcome", outcome)
          .register(meters)
          .increment(amount);
    }
  }
}
