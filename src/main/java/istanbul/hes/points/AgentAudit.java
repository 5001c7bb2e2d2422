package istanbul.hes.points;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' audit trail ({@code agent_actions}): one row per answered request of an
 * authenticated agent, written when the answer is sent, whatever it was (refusals included), and
 * stamped with the request's arrival: the trail reads in the agent's order by {@code at}.
 * The change itself (a personalization, a HES link) is also in {@code audit_log}, in its own
 * transaction. A row PostgreSQL refuses is counted in {@code gateway_points_audit_failures_total}
 * and logged (one line per interval), never silently dropped.
 */
final class AgentAudit {
  private static final Logger LOG = LoggerFactory.getLogger(AgentAudit.class);

  private final Pool pool;
  private final Counter failed;
  private final ThrottledLog failureLog;
  private final DependencyFailures failures;

  /** The id of the key the holders' hashes are made under. */
  private final short hashKeyId;

  AgentAudit(Pool pool, short hashKeyId, MeterRegistry meters, DependencyFailures failures) {
    this.pool = pool;
    this.hashKeyId = hashKeyId;
    this.failures = failures;
    this.failureLog = failures.throttled(LOG);
    this.failed = Counter.builder("gateway_points_audit_failures")
        .description("Audit rows of sales-point agents' requests that could not be written (see the log)")
        .register(meters);
  }

  /**
   * @param arrived when the request arrived
   * @param card 0 when the request named no card
   * @param holderHash the holder's keyed identity hash, null when not known
   * @param result {@code OK} or the problem code answered
   */
  Future<Void> record(AgentPrincipal agent, OffsetDateTime arrived, String action, long card, byte[] holderHash, int status, String result) {
    Tuple row = Tuple.of(agent.agentId(), agent.pointId(), action, card == 0 ? null : card,
        holderHash == null ? null : Buffer.buffer(holderHash), (short) status, result, arrived, hashKeyId);
    return pool.preparedQuery(PointsSql.AUDIT).execute(row).<Void>mapEmpty().onFailure(error -> {
      failed.increment();
      DependencyFailures.outage(error).ifPresent(dependency -> failures.count(dependency, "points_audit"));
      failureLog.warn("audit", "sales-point audit row not written (agent {}, action {}): {}", agent.agentId(), action,
          DependencyFailures.summary(error));
    });
  }
}
