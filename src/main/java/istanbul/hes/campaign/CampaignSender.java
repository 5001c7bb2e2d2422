package istanbul.hes.campaign;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.config.CampaignConfig;
import istanbul.hes.config.DatabaseConfig;
import istanbul.hes.db.Database;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the running campaign's notices, on one node of the cluster at a time: the node holding a
 * PostgreSQL advisory lock on a connection of its own (a killed node's connection ends, and with
 * it the lock). On taking over, what the previous sender had with a gateway is made pending
 * again; it is sent again under the same reference, which the gateway recognizes, so nobody is
 * skipped and nobody gets a notice twice.
 *
 * <p>Every {@value #ROUND_MILLIS} ms a round claims as many targets as the campaign's rate allows
 * (a token bucket over wall-clock time, a quarter of a second deep), lowest contact first, reads
 * opt-outs and personalizations as it claims (so an opt-out holds for every notice claimed after
 * it), sends them concurrently and settles them in one statement. Nothing is sent in the
 * campaign's quiet hours (Istanbul time) or while it is paused.
 */
public final class CampaignSender extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CampaignSender.class);
  static final long ROUND_MILLIS = 100;
  private static final long LOCK_RETRY_MILLIS = 1_000;
  private static final int MAX_CLAIM = 500;

  private final CampaignConfig config;
  private final DatabaseConfig database;
  private final Pool pool;
  private final NoticeGateways gateways;
  private final Notices notices;
  private final IdentityProtector protector;
  private final Campaigns campaigns;
  private final ZoneId zone;
  private final MeterRegistry meters;
  private final ThrottledLog failureLog;
  private final DependencyFailures failures;
  private final Map<String, Counter> noticeCounters = new ConcurrentHashMap<>();
  private final AtomicInteger sender = new AtomicInteger();
  private MultiGauge progressGauge;

  /** The connection that holds (or tries for) the sender lock. */
  private SqlConnection lock;
  private boolean leader;
  private long nextLockAttempt;
  /** No campaign was running at the last look: the next look is a second later, not a round. */
  private long idleUntil;
  /**
   * A round failed after its claim (PostgreSQL went away before the settle): its targets are
   * still SENDING. Rounds never overlap, so at the next round's start nothing is in flight and
   * every SENDING target is one of those: they are made pending again before anything else.
   */
  private boolean requeueFirst;
  private boolean busy;
  private long roundTimer;
  private long gaugeTimer;
  /** The token bucket of the campaign being sent. */
  private long bucketCampaign = -1;
  private int bucketRate;
  private double tokens;
  private long refilledAt;

  CampaignSender(CampaignConfig config, DatabaseConfig database, Pool pool, NoticeGateways gateways, Notices notices,
      IdentityProtector protector, Campaigns campaigns, ZoneId zone, MeterRegistry meters, DependencyFailures failures) {
    this.config = config;
    this.database = database;
    this.pool = pool;
    this.gateways = gateways;
    this.notices = notices;
    this.protector = protector;
    this.campaigns = campaigns;
    this.zone = zone;
    this.meters = meters;
    this.failures = failures;
    this.failureLog = failures.throttled(LOG);
  }

  @Override
  public Future<?> start() {
    progressGauge = MultiGauge.builder("gateway_campaign_contacts")
        .description("Targets of each campaign (started or done within a day) by state: targeted, sent, failed, optedOut, "
            + "skipped, remaining")
        .register(meters);
    Gauge.builder("gateway_campaign_sender", sender, AtomicInteger::get)
        .description("1 on the node that sends campaign notices (one node of the cluster at a time)")
        .register(meters);
    // Every channel and outcome from the start: a rate over a counter that appears later misses its first increase.
    for (Channel channel : Channel.values()) {
      for (String outcome : List.of("SENT", "FAILED", "RETRY", "OPTED_OUT", "SKIPPED")) {
        count(channel, outcome, 0);
      }
    }
    gaugeTimer = vertx.setPeriodic(0, config.progressRefreshSeconds() * 1000L, id -> refreshGauges());
    if (!config.sending()) {
      LOG.info("campaign notices are not sent from this node (campaigns.sending false)");
      return Future.succeededFuture();
    }
    roundTimer = vertx.setPeriodic(ROUND_MILLIS, id -> round());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(roundTimer);
    vertx.cancelTimer(gaugeTimer);
    gateways.close();
    SqlConnection held = lock;
    lock = null;
    leader = false;
    sender.set(0);
    // Closing the connection releases the lock: another node takes over at its next try.
    return held == null ? Future.succeededFuture() : held.close().otherwiseEmpty();
  }

  private void round() {
    if (busy) {
      return;
    }
    busy = true;
    leadership()
        .compose(sending -> sending ? leaderRound() : Future.<Void>succeededFuture())
        .onFailure(error -> {
          requeueFirst = leader;
          DependencyFailures.outage(error).ifPresent(dependency -> failures.count(dependency, "campaign_send"));
          failureLog.warn("round", "campaign sending paused for a round: {}", DependencyFailures.summary(error));
        })
        .onComplete(done -> busy = false);
  }

  private Future<Void> leaderRound() {
    if (!requeueFirst) {
      return sendRound();
    }
    return pool.query(CampaignSql.REQUEUE_SENDING).execute().compose(requeued -> {
      requeueFirst = false;
      return sendRound();
    });
  }

  /**
   * Whether this node is the sender; tries to become it at most once a second, on a connection of
   * its own that it keeps (the lock is that connection's).
   */
  private Future<Boolean> leadership() {
    if (leader) {
      return Future.succeededFuture(true);
    }
    long now = System.currentTimeMillis();
    if (now < nextLockAttempt) {
      return Future.succeededFuture(false);
    }
    nextLockAttempt = now + LOCK_RETRY_MILLIS;
    Future<SqlConnection> connected = lock != null ? Future.succeededFuture(lock)
        : PgConnection.connect(vertx, Database.connectOptions(database)).map(connection -> {
          lock = connection;
          connection.closeHandler(closed -> {
            if (lock == connection) {
              lock = null;
              if (leader) {
                leader = false;
                sender.set(0);
                LOG.warn("campaign sender lock lost (its PostgreSQL connection ended); another node, or this one, takes over");
              }
            }
          });
          return connection;
        });
    return connected.compose(connection -> connection.query(CampaignSql.TRY_SENDER_LOCK).execute()).compose(rows -> {
      if (!rows.iterator().next().getBoolean(0)) {
        return Future.succeededFuture(false);
      }
      return pool.query(CampaignSql.REQUEUE_SENDING).execute().map(requeued -> {
        leader = true;
        sender.set(1);
        LOG.info("this node sends campaign notices; {} notices in flight at the previous sender are sent again under their "
            + "references", requeued.rowCount());
        return true;
      });
    });
  }

  private Future<Void> sendRound() {
    if (System.currentTimeMillis() < idleUntil) {
      return Future.succeededFuture();
    }
    return pool.query(CampaignSql.NEXT_RUNNING).execute().compose(rows -> {
      if (rows.size() == 0) {
        bucketCampaign = -1;
        idleUntil = System.currentTimeMillis() + LOCK_RETRY_MILLIS;
        return Future.succeededFuture();
      }
      Campaign campaign = Campaign.from(rows.iterator().next());
      long now = System.currentTimeMillis();
      if (campaign.id() != bucketCampaign || campaign.ratePerSecond() != bucketRate) {
        bucketCampaign = campaign.id();
        bucketRate = campaign.ratePerSecond();
        tokens = 1;
        refilledAt = now;
      }
      if (campaign.quietHours().isPresent() && campaign.quietHours().get().contains(LocalTime.now(zone))) {
        // No burst when the quiet hours end: the bucket starts again from one notice.
        tokens = 1;
        refilledAt = now;
        return Future.succeededFuture();
      }
      double capacity = Math.max(1, campaign.ratePerSecond() / 4.0);
      tokens = Math.min(capacity, tokens + campaign.ratePerSecond() * (now - refilledAt) / 1000.0);
      refilledAt = now;
      int wanted = (int) Math.min(MAX_CLAIM, Math.floor(tokens));
      if (wanted == 0) {
        return Future.succeededFuture();
      }
      return pool.preparedQuery(CampaignSql.CLAIM).execute(Tuple.of(campaign.id(), wanted)).compose(claimed -> {
        tokens -= claimed.size();
        if (claimed.size() == 0) {
          return pool.preparedQuery(CampaignSql.FINISH_IF_DONE).execute(Tuple.of(campaign.id())).map(finished -> {
            if (finished.rowCount() > 0) {
              LOG.info("campaign {} done: every target is sent, failed, opted out or skipped", campaign.id());
            }
            return null;
          });
        }
        return prepare(campaign, claimed).compose(prepared -> send(campaign, prepared)).compose(settled -> settle(campaign, settled));
      });
    });
  }

  /** A claimed target with its text, ready to go (or already settled: opted out, skipped). */
  private record Prepared(long contactId, int attempts, Channel channel, String address, String title, String text,
      String settledState) {}

  /** Decrypts the addresses and fills in the texts on a worker (AES for every notice of the round). */
  private Future<List<Prepared>> prepare(Campaign campaign, Iterable<Row> claimed) {
    List<Row> rows = new ArrayList<>();
    claimed.forEach(rows::add);
    return vertx.executeBlocking(() -> {
      List<Prepared> prepared = new ArrayList<>(rows.size());
      for (Row row : rows) {
        long contact = row.getLong(0);
        int attempts = row.getShort(1);
        Channel channel = Channel.valueOf(row.getString(2));
        boolean optedOut = row.getBoolean(5) || row.getBuffer(3) == null;
        if (optedOut) {
          prepared.add(new Prepared(contact, attempts, channel, null, null, null, "OPTED_OUT"));
        } else if (row.getBoolean(6)) {
          prepared.add(new Prepared(contact, attempts, channel, null, null, null, "SKIPPED"));
        } else {
          String language = row.getString(4);
          String address;
          try {
            address = protector.decrypt(row.getBuffer(3).getBytes());
          } catch (RuntimeException unreadable) {
            // One unreadable address (a key that no longer decrypts it) fails that notice, not the round.
            prepared.add(new Prepared(contact, attempts, channel, null, null, null, "FAILED"));
            continue;
          }
          prepared.add(new Prepared(contact, attempts, channel, address, campaign.texts().pushTitle(language),
              notices.text(campaign, language, contact, row.getLong(7)), null));
        }
      }
      return prepared;
    }, false);
  }

  private record Settled(long contactId, String state, String error, OffsetDateTime nextAttemptAt) {}

  private Future<List<Settled>> send(Campaign campaign, List<Prepared> prepared) {
    List<Future<Settled>> sends = new ArrayList<>(prepared.size());
    for (Prepared notice : prepared) {
      if (notice.settledState() != null) {
        count(notice.channel(), notice.settledState());
        String error = notice.settledState().equals("FAILED") ? "the address cannot be decrypted" : null;
        sends.add(Future.succeededFuture(new Settled(notice.contactId(), notice.settledState(), error, null)));
        continue;
      }
      String reference = "c" + campaign.id() + "-" + notice.contactId();
      Future<NoticeGateways.Result> sent = notice.channel() == Channel.SMS
          ? gateways.sms(notice.address(), notice.text(), reference)
          : gateways.push(notice.address(), notice.title(), notice.text(), reference);
      sends.add(sent.map(result -> settled(notice, result)));
    }
    return Future.all(sends).map(all -> {
      List<Settled> settled = new ArrayList<>(sends.size());
      for (Future<Settled> one : sends) {
        settled.add(one.result());
      }
      return settled;
    });
  }

  private Settled settled(Prepared notice, NoticeGateways.Result result) {
    String state = switch (result.outcome()) {
      case DELIVERED -> "SENT";
      case REFUSED -> "FAILED";
      case UNAVAILABLE -> notice.attempts() >= config.maxAttempts() ? "FAILED" : "PENDING";
    };
    count(notice.channel(), result.outcome() == NoticeGateways.Outcome.UNAVAILABLE && state.equals("PENDING") ? "RETRY" : state);
    OffsetDateTime next = state.equals("PENDING")
        ? Instant.now().plusSeconds((long) config.retryBackoffSeconds() * notice.attempts()).atOffset(ZoneOffset.UTC)
        : null;
    return new Settled(notice.contactId(), state, result.error(), next);
  }

  private Future<Void> settle(Campaign campaign, List<Settled> settled) {
    Long[] contacts = new Long[settled.size()];
    String[] states = new String[settled.size()];
    String[] errors = new String[settled.size()];
    OffsetDateTime[] next = new OffsetDateTime[settled.size()];
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (int i = 0; i < contacts.length; i++) {
      Settled one = settled.get(i);
      contacts[i] = one.contactId();
      states[i] = one.state();
      errors[i] = one.error();
      next[i] = one.nextAttemptAt() == null ? now : one.nextAttemptAt();
    }
    return pool.preparedQuery(CampaignSql.SETTLE).execute(Tuple.of(campaign.id(), contacts, states, errors, next)).mapEmpty();
  }

  private void count(Channel channel, String outcome) {
    count(channel, outcome, 1);
  }

  private void count(Channel channel, String outcome, int notices) {
    noticeCounters.computeIfAbsent(channel + "|" + outcome, key -> Counter.builder("gateway_campaign_notices")
            .description("Campaign notices by channel and outcome: SENT, FAILED, RETRY (the gateway was unavailable), "
                + "OPTED_OUT, SKIPPED (the card was personalized before its turn)")
            .tag("channel", channel.name())
            .tag("outcome", outcome)
            .register(meters))
        .increment(notices);
  }

  /** Every node shows the campaigns' progress, from PostgreSQL, whichever node sends. */
  private void refreshGauges() {
    pool.query(CampaignSql.GAUGED_CAMPAIGNS).execute()
        .compose(rows -> {
          List<Long> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getLong(0)));
          return campaigns.progress(ids).map(progress -> {
            List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
            for (Long id : ids) {
              Progress p = progress.getOrDefault(id, Progress.NONE);
              String campaign = Long.toString(id);
              gaugeRows.add(MultiGauge.Row.of(Tags.of("campaign", campaign, "state", "targeted"), p.targeted()));
              gaugeRows.add(MultiGauge.Row.of(Tags.of("campaign", campaign, "state", "sent"), p.sent()));
              gaugeRows.add(MultiGauge.Row.of(Tags.of("campaign", campaign, "state", "failed"), p.failed()));
              gaugeRows.add(MultiGauge.Row.of(Tags.of("campaign", campaign, "state", "optedOut"), p.optedOut()));
              gaugeRows.add(MultiGauge.Row.of(Tags.of("campaign", campaign, "state", "skipped"), p.skipped()));
              gaugeRows.add(MultiGauge.Row.of(Tags.of("campaign", campaign, "state", "remaining"), p.remaining()));
            }
            progressGauge.register(gaugeRows, true);
            return null;
          });
        })
        .onFailure(error -> failureLog.warn("gauges", "campaign progress gauges not refreshed: {}", DependencyFailures.summary(error)));
  }
}
