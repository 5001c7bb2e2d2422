package istanbul.hes.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.simulator.Deliveries;
import istanbul.hes.testing.Http;
import istanbul.hes.testing.NodeProcess;
import istanbul.hes.testing.TestEnvironment;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node process sending a campaign to 10,000 contacts (8,000 by SMS, 2,000 by push) is killed
 * with SIGKILL 20 times while it sends, and started again each time: afterwards every contact
 * that did not opt out got exactly one notice (the simulators count deliveries per recipient;
 * the gateways answer 60 ms late, so kills fall between a delivery and its answer, and a notice
 * a killed node had in flight is re-sent under its reference and recognized), the 200
 * who opted out by link before the start and the 100 who opted out by SMS keyword during the
 * campaign got none, and the progress adds up.
 */
class CampaignCrashIT {
  private static final int KILLS = 20;
  private static final int SMS_CONTACTS = 8_000;
  private static final int PUSH_CONTACTS = 2_000;
  private static final int OPTED_OUT_BEFORE = 200;
  private static final int OPTED_OUT_DURING = 100;
  private static final int RATE = 250;
  private static final String SMS_TOKEN = "sms-gateway-replies-token-crash-test";

  @Test
  void killedTwentyTimesWhileSendingEveryContactIsMessagedExactlyOnce() throws Exception {
    try (TestEnvironment environment = new TestEnvironment(Map.of("campaigns.smsInboundToken", SMS_TOKEN,
        "node.eventLoopWarningMillis", "2000", "node.id", "campaign-crash-test"))) {
      environment.migrate();
      List<ContactSeeder.Seeded> contacts = new ContactSeeder(environment).seed(SMS_CONTACTS, PUSH_CONTACTS, "tr");
      contacts.sort(Comparator.comparingLong(ContactSeeder.Seeded::contactId));
      Notices notices = new Notices(environment.identityProtector(), "https://kart.istanbul/bildirim-iptal?t=");
      Http http = environment.http();
      Random random = new Random(2026);
      long began = System.nanoTime();

      // The gateways answer 60 ms after taking a notice: a kill often falls between the two, and
      // what the killed node had in flight must be recognized when the next one sends it again.
      environment.sms().answerDelay(60);
      environment.push().answerDelay(60);
      NodeProcess node = NodeProcess.start(environment, "start");
      // Opted out by the link of an earlier notice, before the campaign starts: never targeted.
      List<ContactSeeder.Seeded> before = contacts.subList(0, OPTED_OUT_BEFORE);
      for (ContactSeeder.Seeded contact : before) {
        HttpResponse<Buffer> optedOut = http.send(HttpMethod.POST, node.citizenPort(), "/v1/notices/opt-out",
            Map.of("Content-Type", "application/json"), new JsonObject().put("token", notices.token(contact.contactId())).toBuffer());
        assertThat(optedOut.statusCode()).as(optedOut.bodyAsString()).isEqualTo(200);
      }
      JsonObject created = admin(http, environment, node, HttpMethod.POST, "/admin/v1/campaigns", new JsonObject()
          .put("name", "crash test")
          .put("templates", new JsonObject().put("tr", "Kişiselleştirin: {url} İptal: {optOut}").put("en", "Personalize: {url} Stop: {optOut}"))
          .put("personalizationUrl", "https://kart.istanbul/kisisellestir")
          .put("channels", new JsonArray().add("SMS").add("PUSH"))
          .put("ratePerSecond", RATE)
          .put("createdBy", "crash.test"));
      long id = created.getLong("id");
      JsonObject started = admin(http, environment, node, HttpMethod.POST, "/admin/v1/campaigns/" + id + "/start", new JsonObject());
      assertThat(started.getLong("targeted")).isEqualTo(SMS_CONTACTS + PUSH_CONTACTS - OPTED_OUT_BEFORE);

      // The highest SMS contacts opt out by keyword early on: their turn is still far.
      List<ContactSeeder.Seeded> during = contacts.stream().filter(contact -> contact.channel() == Channel.SMS)
          .sorted(Comparator.comparingLong(ContactSeeder.Seeded::contactId).reversed()).limit(OPTED_OUT_DURING).toList();
      long previous = 0;
      for (int kill = 1; kill <= KILLS; kill++) {
        long target = previous + 100 + random.nextInt(200);
        NodeProcess sending = node;
        // Killed while the gateways hold notices the node has not settled yet (taken, answer pending):
        // waiting for the count alone, a kill could fall into the token bucket's pause between rounds,
        // and twenty of them could all miss the in-flight case this test is about.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
            .until(() -> !sending.alive() || sent(environment, id) >= target && taken(environment) > sent(environment, id));
        if (kill == 1) {
          for (ContactSeeder.Seeded contact : during) {
            HttpResponse<Buffer> reply = http.send(HttpMethod.POST, node.citizenPort(), "/v1/notices/sms-replies",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + SMS_TOKEN),
                new JsonObject().put("from", contact.address()).put("text", "IPTAL").toBuffer());
            assertThat(reply.bodyAsJsonObject().getInteger("optedOut")).isEqualTo(1);
          }
        }
        node.kill();
        long now = sent(environment, id);
        assertThat(now).as("kill %d happened while sending", kill).isLessThan(SMS_CONTACTS + PUSH_CONTACTS - OPTED_OUT_BEFORE
            - OPTED_OUT_DURING);
        previous = now;
        node = NodeProcess.start(environment, "kill-" + kill);
      }
      NodeProcess last = node;
      try {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
            .until(() -> environment.column("SELECT state FROM campaigns WHERE campaign_id = " + id).get(0).equals("DONE"));
        JsonObject done = admin(http, environment, last, HttpMethod.GET, "/admin/v1/campaigns/" + id, null);
        Deliveries.Counts smsCounts = environment.sms().counts();
        Deliveries.Counts pushCounts = environment.push().counts();
        for (ContactSeeder.Seeded contact : contacts) {
          Map<String, Long> delivered = contact.channel() == Channel.SMS ? smsCounts.recipients() : pushCounts.recipients();
          long expected = before.contains(contact) || during.contains(contact) ? 0 : 1;
          assertThat(delivered.getOrDefault(contact.address(), 0L)).as("notices to contact %d", contact.contactId()).isEqualTo(expected);
        }
        long expectedSent = SMS_CONTACTS + PUSH_CONTACTS - OPTED_OUT_BEFORE - OPTED_OUT_DURING;
        assertThat(done.getLong("sent")).isEqualTo(expectedSent);
        assertThat(done.getLong("optedOut")).isEqualTo(OPTED_OUT_DURING);
        assertThat(done.getLong("failed")).isZero();
        assertThat(done.getLong("remaining")).isZero();
        assertThat(smsCounts.total() + pushCounts.total()).isEqualTo(expectedSent);
        assertThat(smsCounts.duplicates() + pushCounts.duplicates()).as("notices in flight at a kill, sent again").isPositive();
        System.out.printf("CampaignCrashIT: %d kills, %d notices delivered once each (%d SMS, %d push), %d re-sent notices "
                + "recognized by their reference (SMS %d, push %d), %d + %d opted out never messaged, %.1f s%n",
            KILLS, expectedSent, smsCounts.total(), pushCounts.total(), smsCounts.duplicates() + pushCounts.duplicates(),
            smsCounts.duplicates(), pushCounts.duplicates(), OPTED_OUT_BEFORE, OPTED_OUT_DURING, (System.nanoTime() - began) / 1e9);
      } finally {
        last.stop();
      }
    }
  }

  /** Notices the SMS and push gateways have taken, each counted once (their first receipt). */
  private static long taken(TestEnvironment environment) {
    return environment.sms().counts().total() + environment.push().counts().total();
  }

  private static long sent(TestEnvironment environment, long id) {
    return Long.parseLong(environment.column("SELECT count(*) FROM campaign_targets WHERE campaign_id = " + id
        + " AND state = 'SENT'").get(0));
  }

  private static JsonObject admin(Http http, TestEnvironment environment, NodeProcess node, HttpMethod method, String path,
      JsonObject body) {
    HttpResponse<Buffer> response = http.send(method, node.adminPort(), path,
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + environment.operatorToken()),
        body == null ? null : body.toBuffer());
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 201);
    return response.bodyAsJsonObject();
  }
}
