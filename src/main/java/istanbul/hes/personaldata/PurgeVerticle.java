package istanbul.hes.personaldata;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.config.PersonalDataConfig;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes personal records whose purpose has ended (KVKK): every
 * {@code personalData.purgeIntervalSeconds}, each kind with a retention period
 * ({@link PersonalDataConfig}) is purged in statements of at most {@code purgeBatchRows} rows,
 * until none is left; and once the rule's phase for personalized cards has been OFF for
 * {@code personalData.ruleLiftedDays}, every HES link and risk record, once per OFF period, with
 * an audit row saying when and how many. Any number of nodes may run it: rows another holds are
 * skipped. Counted in {@code gateway_personal_data_purged_total{kind}}.
 */
public final class PurgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PurgeVerticle.class);
  static final String CAUSE = "RETENTION";
  static final String RULE_LIFTED_CAUSE = "RULE_LIFTED";

  private final PersonalDataConfig config;
  private final Pool pool;
  private final CardStatusStore store;
  private final MeterRegistry meters;
  private final DependencyFailures failures;
  private final ThrottledLog log;
  private volatile boolean stopped;
  private long timer = -1;

  public PurgeVerticle(PersonalDataConfig config, Pool pool, CardStatusStore store, MeterRegistry meters, DependencyFailures failures) {
    this.config = config;
    this.pool = pool;
    this.store = store;
    this.meters = meters;
    this.failures = failures;
    this.log = failures.throttled(LOG);
  }

  /** A kind of record with a retention period: its days, and the statement that deletes a batch of it. */
  private record Retained(String kind, int days, String purge) {}

  private List<Retained> retained() {
    return List.of(
        new Retained("delivered_reports", config.deliveredReportsDays(), PurgeSql.DELIVERED_REPORTS),
        new Retained("dead_letters", config.deadLettersDays(), PurgeSql.DEAD_LETTERS),
        new Retained("audit", config.auditDays(), PurgeSql.AUDIT),
        new Retained("agent_actions", config.agentActionsDays(), PurgeSql.AGENT_ACTIONS),
        new Retained("left_people", config.leftPeopleDays(), PurgeSql.LEFT_PEOPLE),
        new Retained("closed_contacts", config.closedContactsDays(), PurgeSql.CLOSED_CONTACTS));
  }

  @Override
  public Future<?> start() {
    if (config.purgeIntervalSeconds() > 0) {
      schedule();
    } else {
      LOG.info("personal data purge off on this node (personalData.purgeIntervalSeconds is 0)");
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(config.purgeIntervalSeconds() * 1000L, id -> run().onComplete(done -> schedule()));
    }
  }

  /** One purge of every kind and, when due, of the rule-lifted data; what it deleted by kind. Never fails. */
  public Future<Map<String, Long>> run() {
    Map<String, Long> purged = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Retained kind : retained()) {
      if (kind.days() > 0) {
        chain = chain.compose(ignored -> drain(kind.kind(), () -> batch(kind)).map(count -> {
          purged.put(kind.kind(), count);
          return null;
        }));
      }
    }
    if (config.unpersonalizedLinksDays() > 0) {
      chain = chain.compose(ignored -> drain("unpersonalized_links",
          () -> links(PurgeSql.UNPERSONALIZED_LINKS, config.unpersonalizedLinksDays(), CAUSE)).map(count -> {
            purged.put("unpersonalized_links", count);
            return null;
          }));
    }
    if (config.ruleLiftedDays() > 0) {
      chain = chain.compose(ignored -> ruleLifted(purged));
    }
    return chain.map(ignored -> {
      long total = purged.values().stream().mapToLong(Long::longValue).sum();
      if (total > 0) {
        LOG.info("personal data purged (retention periods over): {}", purged);
      }
      return purged;
    }).recover(failure -> {
      DependencyFailures.outage(failure).ifPresent(dependency -> failures.count(dependency, "personal_data_purge"));
      log.warn("purge", "personal data purge failed (it runs again in personalData.purgeIntervalSeconds): {}",
          DependencyFailures.summary(failure));
      return Future.succeededFuture(purged);
    });
  }

  /** Batches of one kind until a batch comes back short; the rows deleted, counted. */
  private Future<Long> drain(String kind, java.util.function.Supplier<Future<Long>> batch) {
    return batch.get().compose(count -> {
      count(kind, count);
      return count < config.purgeBatchRows() || stopped ? Future.succeededFuture(count)
          : drain(kind, batch).map(more -> count + more);
    });
  }

  private Future<Long> batch(Retained kind) {
    return pool.preparedQuery(kind.purge()).execute(Tuple.of(kind.days(), config.purgeBatchRows()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Deletes the links of the cards {@code select} finds and locks, and recomputes the cards, in one transaction. */
  private Future<Long> links(String select, int days, String cause) {
    return store.inTransaction(transaction -> transaction.connection().preparedQuery(select)
        .execute(Tuple.of(days, config.purgeBatchRows()))
        .compose(rows -> {
          long[] cards = cards(rows);
          if (cards.length == 0) {
            return Future.succeededFuture(0L);
          }
          Long[] boxed = java.util.Arrays.stream(cards).boxed().toArray(Long[]::new);
          return transaction.connection().preparedQuery(PurgeSql.DELETE_LINKS).execute(Tuple.of(boxed))
              .compose(deleted -> transaction.recomputeLocked(cards, cause).map(changed -> (long) deleted.rowCount()));
        }));
  }

  private static long[] cards(RowSet<Row> rows) {
    List<Long> cards = new ArrayList<>(rows.size());
    rows.forEach(row -> cards.add(row.getLong(0)));
    return cards.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The rule lifted for personalized cards longer than {@code ruleLiftedDays}: once per OFF
   * period, every HES link (with its check results) and every risk record, then the audit row.
   */
  private Future<Void> ruleLifted(Map<String, Long> purged) {
    return pool.preparedQuery(PurgeSql.RULE_OFF_SINCE).execute(Tuple.of(config.ruleLiftedDays())).compose(rows -> {
      if (rows.size() == 0 || !rows.iterator().next().getBoolean(1)) {
        return Future.succeededFuture();
      }
      OffsetDateTime since = rows.iterator().next().getOffsetDateTime(0);
      return pool.preparedQuery(PurgeSql.START_RULE_LIFTED).execute(Tuple.of(since))
          .compose(ignored -> ruleLiftedBatches(since, purged));
    });
  }

  private Future<Void> ruleLiftedBatches(OffsetDateTime since, Map<String, Long> purged) {
    // One batch of links and one of risks per transaction, with the period's counts; the last one
    // (nothing left) marks the period done and writes the audit row.
    return store.inTransaction(transaction -> transaction.connection().preparedQuery(PurgeSql.CLAIM_RULE_LIFTED)
        .execute(Tuple.of(since))
        .compose(claimed -> {
          if (claimed.size() == 0 || claimed.iterator().next().getBoolean(0)) {
            return Future.succeededFuture(false); // another node is on it, or it is done
          }
          return transaction.connection().preparedQuery(PurgeSql.ALL_LINKS).execute(Tuple.of(config.purgeBatchRows()))
              .compose(rows -> {
                long[] cards = cards(rows);
                Long[] boxed = java.util.Arrays.stream(cards).boxed().toArray(Long[]::new);
                Future<Long> links = cards.length == 0 ? Future.succeededFuture(0L)
                    : transaction.connection().preparedQuery(PurgeSql.DELETE_LINKS).execute(Tuple.of(boxed))
                        .compose(deleted -> transaction.recomputeLocked(cards, RULE_LIFTED_CAUSE).map(changed -> (long) deleted.rowCount()));
                return links.compose(linkCount -> transaction.connection().preparedQuery(PurgeSql.ALL_RISKS)
                    .execute(Tuple.of(config.purgeBatchRows()))
                    .map(risks -> new long[] {linkCount, risks.iterator().next().getLong(0)}));
              })
              .compose(counts -> {
                purged.merge("rule_lifted_links", counts[0], Long::sum);
                purged.merge("rule_lifted_risks", counts[1], Long::sum);
                count("rule_lifted_links", counts[0]);
                count("rule_lifted_risks", counts[1]);
                Future<?> counted = transaction.connection().preparedQuery(PurgeSql.COUNT_RULE_LIFTED)
                    .execute(Tuple.of(since, counts[0], counts[1]));
                boolean done = counts[0] < config.purgeBatchRows() && counts[1] < config.purgeBatchRows();
                return done
                    ? counted.compose(ignored -> transaction.connection().preparedQuery(PurgeSql.FINISH_RULE_LIFTED)
                        .execute(Tuple.of(since))).map(false)
                    : counted.map(true);
              });
        }))
        .compose(more -> more && !stopped ? ruleLiftedBatches(since, purged) : Future.succeededFuture());
  }

  private void count(String kind, long count) {
    if (count > 0) {
      Counter.builder("gateway_personal_data_purged")
          .description("Personal records deleted because their retention period ended (or the rule was lifted)")
          .tag("kind", kind)
          .register(meters)
          .increment(count);
    }
  }
}
