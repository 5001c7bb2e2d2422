package istanbul.hes.campaign;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import istanbul.hes.admin.AdminRequests;
import istanbul.hes.config.CampaignConfig;
import java.util.function.BiFunction;

/**
 * The operators' side of the campaign, on the admin listener (behind the operator token):
 * create a campaign, start, pause and resume it, and see its progress.
 *
 * <pre>
 * POST /admin/v1/campaigns                  → 201 the campaign (DRAFT)
 * GET  /admin/v1/campaigns                  → the last 200, newest first, with their progress
 * GET  /admin/v1/campaigns/{id}             → state, targeted, sent, failed, optedOut, skipped, remaining, …
 * POST /admin/v1/campaigns/{id}/start|pause|resume {"changedBy":"…"}
 * </pre>
 */
public final class CampaignAdmin {
  private static final int BODY_LIMIT = 16 * 1024;

  private final Campaigns campaigns;
  private final CampaignConfig config;
  private final boolean pushConfigured;

  CampaignAdmin(Campaigns campaigns, CampaignConfig config, boolean pushConfigured) {
    this.campaigns = campaigns;
    this.config = config;
    this.pushConfigured = pushConfigured;
  }

  /** Mounts the routes on the admin router, after its operator authentication. */
  public void mount(Router router) {
    router.post("/admin/v1/campaigns*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post("/admin/v1/campaigns*").handler(AdminRequests::jsonBodyOnly);
    router.post("/admin/v1/campaigns").handler(this::create);
    router.get("/admin/v1/campaigns").handler(context -> answer(context, 200, campaigns.list()));
    router.get("/admin/v1/campaigns/:id").handler(context -> answer(context, 200, campaigns.describe(id(context))));
    router.post("/admin/v1/campaigns/:id/start").handler(context -> change(context, campaigns::start));
    router.post("/admin/v1/campaigns/:id/pause").handler(context -> change(context, campaigns::pause));
    router.post("/admin/v1/campaigns/:id/resume").handler(context -> change(context, campaigns::resume));
  }

  private void create(RoutingContext context) {
    JsonObject body = AdminRequests.objectBody(context);
    CampaignRequest request = CampaignRequest.parse(body, config.maxRatePerSecond(), pushConfigured);
    String by = AdminRequests.operatorName(body, "createdBy");
    answer(context, 201, campaigns.create(request, by));
  }

  private void change(RoutingContext context, BiFunction<Long, String, Future<JsonObject>> action) {
    long id = id(context);
    String by = "operator";
    if (!context.body().isEmpty()) {
      JsonObject body = AdminRequests.objectBody(context);
      if (body.getValue("changedBy") != null) {
        by = AdminRequests.operatorName(body, "changedBy");
      }
    }
    answer(context, 200, action.apply(id, by));
  }

  private static long id(RoutingContext context) {
    String id = context.pathParam("id");
    if (!id.matches("[1-9][0-9]{0,17}")) {
      throw AdminRequests.invalid("a campaign id is a positive whole number");
    }
    return Long.parseLong(id);
  }

  private static void answer(RoutingContext context, int status, Future<JsonObject> answer) {
    answer.onSuccess(json -> AdminRequests.json(context, status, json)).onFailure(context::fail);
  }
}
