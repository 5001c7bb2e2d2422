package istanbul.hes.personaldata;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import istanbul.hes.config.PersonalDataConfig;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.TestEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The purge deletes exactly what expired: of every kind, a row just past its period goes, one
 * just inside it stays, and rows whose purpose has not ended (a pending report, a person with a
 * card, a contact a campaign is about to use, a personalized card's link) stay however old.
 */
class PurgeTest {
  private static final int DAYS = 10;
  private static final String HASH = "decode(repeat('ab', 32), 'hex')";
  private static final String SEALED = "'\\x01020304'::bytea";

  private static PersonalDataConfig periods(int ruleLiftedDays) {
    return new PersonalDataConfig(DAYS, DAYS, DAYS, DAYS, DAYS, DAYS, DAYS, ruleLiftedDays, 3_600, 2);
  }

  private static String ago(int days, int hours) {
    return "now() - interval '" + days + " days " + hours + " hours'";
  }

  @Test
  void everyKindLosesExactlyTheRowsPastItsPeriod() {
    try (TestEnvironment environment = new TestEnvironment()) {
      environment.migrate();
      String expired = ago(DAYS, 2);
      String kept = ago(DAYS - 1, 22);
      environment.sql(
          // reports: delivered, dead, pending
          "INSERT INTO violation_outbox (id, card_no, validator, window_start, first_at, last_at, taps, state, delivered_at, recorded_at) VALUES "
              + "('00000000-0000-0000-0000-000000000001', 1, 'V', now(), now(), now(), 1, 'DELIVERED', " + expired + ", " + ago(40, 0) + "), "
              + "('00000000-0000-0000-0000-000000000002', 2, 'V', now(), now(), now(), 1, 'DELIVERED', " + kept + ", " + ago(40, 0) + "), "
              + "('00000000-0000-0000-0000-000000000003', 3, 'V', now(), now(), now(), 1, 'DEAD', NULL, " + expired + "), "
              + "('00000000-0000-0000-0000-000000000004', 4, 'V', now(), now(), now(), 1, 'DEAD', NULL, " + kept + "), "
              + "('00000000-0000-0000-0000-000000000005', 5, 'V', now(), now(), now(), 1, 'PENDING', NULL, " + ago(400, 0) + ")",
          "INSERT INTO audit_log (at, actor_hash, action, card_no) VALUES (" + expired + ", " + HASH + ", 'OLD', 1), ("
              + kept + ", " + HASH + ", 'KEPT', 2), (" + expired + ", NULL, 'OLD', 3)",
          "INSERT INTO agent_actions (at, agent_id, point_id, action, status, result) VALUES (" + expired
              + ", 'a', 'p', 'OLD', 200, 'OK'), (" + kept + ", 'a', 'p', 'KEPT', 200, 'OK')",
          // people: left long ago (consent too), left recently, with a card since long ago
          "INSERT INTO owners (owner_id, identity_hash, identity_kind, identity_enc, first_name_enc, last_name_enc, created_at, updated_at) "
              + "OVERRIDING SYSTEM VALUE VALUES "
              + "(901, decode(repeat('01', 32), 'hex'), 'TCKN', " + SEALED + ", " + SEALED + ", " + SEALED + ", " + ago(400, 0) + ", " + expired + "), "
              + "(902, decode(repeat('02', 32), 'hex'), 'TCKN', " + SEALED + ", " + SEALED + ", " + SEALED + ", " + ago(400, 0) + ", " + kept + "), "
              + "(903, decode(repeat('03', 32), 'hex'), 'TCKN', " + SEALED + ", " + SEALED + ", " + SEALED + ", " + ago(400, 0) + ", " + ago(400, 0) + ")",
          "INSERT INTO cards (card_no, owner_id) VALUES (9030, 903), (9100, NULL), (9101, NULL), (9102, NULL), (9103, NULL), (9104, 903)",
          "INSERT INTO consents (owner_id, kind, version, card_no) VALUES (901, 'KVKK_NOTICE', 'v1', 9000), (902, 'KVKK_NOTICE', 'v1', 9001)",
          // contacts: opted out long ago, opted out recently, active and old, of a card personalized since, opted out but about to be sent
          "INSERT INTO campaign_contacts (contact_id, card_no, holder_hash, channel, address_enc, language, consent_at, updated_at, "
              + "opted_out_at, opt_out_source) VALUES "
              + "(801, 9100, " + HASH + ", 'SMS', NULL, 'tr', now(), " + expired + ", " + expired + ", 'LINK'), "
              + "(802, 9101, " + HASH + ", 'SMS', NULL, 'tr', now(), " + kept + ", " + kept + ", 'LINK'), "
              + "(803, 9102, " + HASH + ", 'SMS', " + SEALED + ", 'tr', now(), " + ago(400, 0) + ", NULL, NULL), "
              + "(804, 9030, " + HASH + ", 'SMS', " + SEALED + ", 'tr', now(), " + expired + ", NULL, NULL), "
              + "(805, 9103, " + HASH + ", 'SMS', NULL, 'tr', now(), " + expired + ", " + expired + ", 'KEYWORD')",
          "INSERT INTO campaigns (campaign_id, name, template_tr, template_en, push_title_tr, push_title_en, personalization_url, "
              + "channels, rate_per_second, created_by, changed_by, state) VALUES (1, 'c', 't', 't', 't', 't', "
              + "'https://example.org', ARRAY['SMS'], 1, 'op', 'op', 'RUNNING')",
          "INSERT INTO campaign_targets (campaign_id, contact_id, state) VALUES (1, 805, 'PENDING'), (1, 801, 'SENT')",
          // HES links: an anonymous card's linked long ago, one linked recently, a personalized card's linked long ago
          "INSERT INTO hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, ministry_status, linked_at) VALUES "
              + "(9100, decode(repeat('11', 32), 'hex'), " + SEALED + ", 'AAAA', current_date + 30, 'RISKLESS', " + expired + "), "
              + "(9101, decode(repeat('12', 32), 'hex'), " + SEALED + ", 'AAAA', current_date + 30, 'RISKLESS', " + kept + "), "
              + "(9030, decode(repeat('13', 32), 'hex'), " + SEALED + ", 'AAAA', current_date + 30, 'RISKLESS', " + ago(400, 0) + ")",
          "UPDATE cards SET hes_linked = true, hes_expires_on = current_date + 30 WHERE card_no IN (9100, 9101, 9030)");

      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      Map<String, Long> purged = purge(environment, periods(0), meters);

      assertThat(purged).containsEntry("delivered_reports", 1L).containsEntry("dead_letters", 1L).containsEntry("audit", 2L)
          .containsEntry("agent_actions", 1L).containsEntry("left_people", 1L).containsEntry("closed_contacts", 2L)
          .containsEntry("unpersonalized_links", 1L);
      assertThat(environment.column("SELECT card_no::text FROM violation_outbox ORDER BY card_no")).containsExactly("2", "4", "5");
      assertThat(environment.column("SELECT action FROM audit_log ORDER BY id")).containsExactly("KEPT");
      assertThat(environment.column("SELECT action FROM agent_actions")).containsExactly("KEPT");
      assertThat(environment.column("SELECT owner_id::text FROM owners ORDER BY owner_id")).containsExactly("902", "903");
      assertThat(environment.column("SELECT owner_id::text FROM consents")).containsExactly("902");
      assertThat(environment.column("SELECT contact_id::text FROM campaign_contacts ORDER BY contact_id"))
          .containsExactly("802", "803", "805");
      assertThat(environment.column("SELECT card_no::text FROM hes_links ORDER BY card_no")).containsExactly("9030", "9101");
      // The card whose link went is recomputed in the same transaction, and logged for the maps.
      assertThat(environment.column("SELECT hes_linked::text FROM cards WHERE card_no = 9100")).containsExactly("false");
      assertThat(environment.column("SELECT cause FROM card_status_log WHERE card_no = 9100")).containsExactly("RETENTION");
      assertThat(meters.get("gateway_personal_data_purged").tag("kind", "audit").counter().count()).isEqualTo(2.0);

      // Nothing more is due: a second run deletes nothing.
      assertThat(purge(environment, periods(0), new SimpleMeterRegistry()).values()).containsOnly(0L);
    }
  }

  @Test
  void theRuleLiftedLongEnoughPurgesEveryHesLinkAndRiskOnceAndAuditsIt() {
    try (TestEnvironment environment = new TestEnvironment()) {
      environment.migrate();
      environment.sql(
          "INSERT INTO cards (card_no) SELECT g FROM generate_series(7001, 7005) g",
          "INSERT INTO hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, ministry_status) "
              + "SELECT g, decode(lpad(to_hex(g), 64, '0'), 'hex'), " + SEALED + ", 'AAAA', current_date + 30, 'RISKLESS' "
              + "FROM generate_series(7001, 7005) g",
          "UPDATE cards SET hes_linked = true, hes_expires_on = current_date + 30",
          "INSERT INTO person_risk (identity_hash, risky, source) SELECT decode(lpad(to_hex(g), 64, '0'), 'hex'), true, 'DELTA' "
              + "FROM generate_series(1, 3) g",
          "INSERT INTO rule_phases (card_kind, mode, changed_at, changed_by, why) VALUES ('PERSONALIZED', 'OFF', "
              + ago(29, 0) + ", 'op', 'lifted')");

      // Not yet: OFF for 29 days of 30.
      assertThat(purge(environment, periods(30), new SimpleMeterRegistry())).doesNotContainKey("rule_lifted_links");
      assertThat(environment.column("SELECT count(*)::text FROM hes_links")).containsExactly("5");

      environment.sql("UPDATE rule_phases SET changed_at = " + ago(31, 0));
      Map<String, Long> purged = purge(environment, periods(30), new SimpleMeterRegistry());

      assertThat(purged).containsEntry("rule_lifted_links", 5L).containsEntry("rule_lifted_risks", 3L);
      assertThat(environment.column("SELECT count(*)::text FROM hes_links")).containsExactly("0");
      assertThat(environment.column("SELECT count(*)::text FROM person_risk")).containsExactly("0");
      assertThat(environment.column("SELECT count(*)::text FROM cards WHERE hes_linked")).containsExactly("0");
      assertThat(environment.column("SELECT detail->>'hesLinks' || ' ' || (detail->>'riskRecords') FROM audit_log "
          + "WHERE action = 'RULE_LIFTED_PURGE'")).containsExactly("5 3");

      // Once per OFF period: a link made since stays, and no second audit row.
      environment.sql("INSERT INTO hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, ministry_status) "
          + "VALUES (7001, decode(repeat('77', 32), 'hex'), " + SEALED + ", 'BBBB', current_date + 30, 'RISKLESS')");
      assertThat(purge(environment, periods(30), new SimpleMeterRegistry())).doesNotContainKey("rule_lifted_links");
      assertThat(environment.column("SELECT count(*)::text FROM hes_links")).containsExactly("1");
      assertThat(environment.column("SELECT count(*)::text FROM audit_log WHERE action = 'RULE_LIFTED_PURGE'")).containsExactly("1");
    }
  }

  private static Map<String, Long> purge(TestEnvironment environment, PersonalDataConfig config, SimpleMeterRegistry meters) {
    PurgeVerticle purge = new PurgeVerticle(config, environment.pool(), environment.offlineStore(), meters,
        new DependencyFailures(meters, Duration.ofSeconds(10)));
    String deployment = Await.result(environment.vertx().deployVerticle(purge));
    try {
      return Await.result(purge.run());
    } finally {
      Await.result(environment.vertx().undeploy(deployment));
    }
  }
}
