package istanbul.hes.campaign;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.statistics.StatisticsReports;

/**
 * The personalization campaign's parts, made once per node: the citizens' contact handlers, the
 * operators' routes, and the sender (a verticle; it sends only while this node holds the lock).
 */
public final class CampaignFeature {
  private final ContactHandlers contacts;
  private final CampaignAdmin admin;
  private final CampaignSender sender;

  public CampaignFeature(Vertx vertx, GatewayConfig config, Pool pool, IdentityProtector protector, ChallengeService challenges,
      StatisticsReports statistics, MeterRegistry meters, DependencyFailures failures) {
    Notices notices = new Notices(protector, config.campaigns().optOutUrl());
    Campaigns campaigns = new Campaigns(vertx, pool, statistics);
    NoticeGateways gateways = new NoticeGateways(vertx, config.citizen(), config.campaigns());
    this.contacts = new ContactHandlers(new Contacts(pool, protector, notices), challenges, config.campaigns());
    this.admin = new CampaignAdmin(campaigns, config.campaigns(), gateways.pushConfigured());
    this.sender = new CampaignSender(config.campaigns(), config.database(), pool, gateways, notices, protector, campaigns,
        config.tap().timeZone(), meters, failures);
  }

  public ContactHandlers contacts() {
    return contacts;
  }

  public CampaignAdmin admin() {
    return admin;
  }

  public CampaignSender sender() {
    return sender;
  }
}
