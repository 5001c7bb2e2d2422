package istanbul.hes.campaign;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.statistics.StatisticsReports;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns in PostgreSQL: created as drafts, started (the targets are fixed then: the contacts
 * of cards still anonymous, not opted out, on the campaign's channels, and, if asked, whose card
 * tapped within the last N days by the statistics' active-card sets), paused and resumed. A
 * contact is targeted at most once per campaign (the primary key of campaign_targets).
 */
public final class Campaigns {
  private static final Logger LOG = LoggerFactory.getLogger(Campaigns.class);

  private final Vertx vertx;
  private final Pool pool;
  private final StatisticsReports statistics;

  public Campaigns(Vertx vertx, Pool pool, StatisticsReports statistics) {
    this.vertx = vertx;
    this.pool = pool;
    this.statistics = statistics;
  }

  Future<JsonObject> create(CampaignRequest request, String by) {
    Tuple values = Tuple.tuple()
        .addValue(request.name())
        .addValue(request.texts().templateTr())
        .addValue(request.texts().templateEn())
        .addValue(request.texts().pushTitleTr())
        .addValue(request.texts().pushTitleEn())
        .addValue(request.personalizationUrl())
        .addValue(request.channels().stream().map(Channel::name).toArray(String[]::new))
        .addValue(request.activeWithinDays().orElse(null))
        .addValue(request.ratePerSecond())
        .addValue(request.quietHours().map(QuietHours::from).orElse(null))
        .addValue(request.quietHours().map(QuietHours::to).orElse(null))
        .addValue(by);
    return pool.preparedQuery(CampaignSql.INSERT_CAMPAIGN).execute(values).map(rows -> {
      Campaign campaign = Campaign.from(rows.iterator().next());
      LOG.info("campaign {} created by {}: {} at {}/s", campaign.id(), by, campaign.channels(), campaign.ratePerSecond());
      return campaign.toJson(Progress.NONE);
    });
  }

  Future<JsonObject> describe(long id) {
    return pool.preparedQuery(CampaignSql.CAMPAIGN).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(unknown(id));
      }
      Campaign campaign = Campaign.from(rows.iterator().next());
      return progress(List.of(id)).map(progress -> campaign.toJson(progress.getOrDefault(id, Progress.NONE)));
    });
  }

  Future<JsonObject> list() {
    return pool.query(CampaignSql.CAMPAIGNS).execute().compose(rows -> {
      List<Campaign> campaigns = new ArrayList<>();
      rows.forEach(row -> campaigns.add(Campaign.from(row)));
      return progress(campaigns.stream().map(Campaign::id).toList()).map(progress -> new JsonObject().put("campaigns",
          new JsonArray(campaigns.stream().map(campaign -> campaign.toJson(progress.getOrDefault(campaign.id(), Progress.NONE)))
              .toList())));
    });
  }

  /**
   * Starts a draft: its targets are fixed in the same transaction. The active-card filter is
   * read first (it is the statistics' union of days, a read of its own).
   */
  Future<JsonObject> start(long id, String by) {
    return pool.preparedQuery(CampaignSql.CAMPAIGN).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(unknown(id));
      }
      Campaign draft = Campaign.from(rows.iterator().next());
      Future<Optional<IntPredicate>> active = draft.activeWithinDays().isEmpty() ? Future.succeededFuture(Optional.empty())
          : statistics.tappedWithin(draft.activeWithinDays().get()).map(Optional::of);
      return active.compose(tapped -> pool.withTransaction(connection -> lockInState(connection, id, Campaign.State.DRAFT, "start")
          .compose(campaign -> connection.preparedQuery(CampaignSql.ELIGIBLE_CONTACTS)
              .execute(Tuple.of((Object) campaign.channels().stream().map(Channel::name).toArray(String[]::new)))
              .compose(eligible -> vertx.executeBlocking(() -> targets(eligible, tapped)))
              .compose(contacts -> connection.preparedQuery(CampaignSql.INSERT_TARGETS).execute(Tuple.of(id, (Object) contacts)))
              .compose(inserted -> {
                LOG.info("campaign {} started by {}: {} contacts targeted", id, by, inserted.rowCount());
                return connection.preparedQuery(CampaignSql.SET_STATE).execute(Tuple.of(id, Campaign.State.RUNNING.name(), by));
              }))))
          .compose(started -> describe(id));
    });
  }

  private static Long[] targets(Iterable<Row> eligible, Optional<IntPredicate> tapped) {
    List<Long> contacts = new ArrayList<>();
    for (Row row : eligible) {
      if (tapped.isEmpty() || tapped.get().test(row.getInteger(1))) {
        contacts.add(row.getLong(0));
      }
    }
    return contacts.toArray(Long[]::new);
  }

  Future<JsonObject> pause(long id, String by) {
    return switchState(id, Campaign.State.RUNNING, Campaign.State.PAUSED, "pause", by);
  }

  Future<JsonObject> resume(long id, String by) {
    return switchState(id, Campaign.State.PAUSED, Campaign.State.RUNNING, "resume", by);
  }

  private Future<JsonObject> switchState(long id, Campaign.State from, Campaign.State to, String action, String by) {
    return pool.withTransaction(connection -> lockInState(connection, id, from, action)
            .compose(campaign -> connection.preparedQuery(CampaignSql.SET_STATE).execute(Tuple.of(id, to.name(), by))))
        .compose(switched -> {
          LOG.info("campaign {}: {} by {}", id, action, by);
          return describe(id);
        });
  }

  private static Future<Campaign> lockInState(SqlConnection connection, long id, Campaign.State expected, String action) {
    return connection.preparedQuery(CampaignSql.LOCK_CAMPAIGN).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(unknown(id));
      }
      Campaign campaign = Campaign.from(rows.iterator().next());
      if (campaign.state() != expected) {
        return Future.failedFuture(Problem.of(ProblemCode.CAMPAIGN_STATE_CONFLICT, "campaign " + id + " is "
            + campaign.state() + "; " + action + " needs " + expected).exception());
      }
      return Future.succeededFuture(campaign);
    });
  }

  /** The targets of these campaigns by state. */
  Future<Map<Long, Progress>> progress(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(CampaignSql.PROGRESS).execute(Tuple.of((Object) ids.toArray(Long[]::new))).map(rows -> {
      Map<Long, Progress> progress = new HashMap<>();
      for (Row row : rows) {
        progress.merge(row.getLong(0), Progress.NONE.add(row.getString(1), row.getLong(2)),
            (a, b) -> a.add(row.getString(1), row.getLong(2)));
      }
      return progress;
    });
  }

  private static RuntimeException unknown(long id) {
    return Problem.of(ProblemCode.UNKNOWN_CAMPAIGN, "no campaign " + id).exception();
  }
}
