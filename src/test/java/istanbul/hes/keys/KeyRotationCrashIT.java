package istanbul.hes.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.SecurityConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.simulator.health.HesCodeRecord;
import istanbul.hes.testing.NodeProcess;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Rotation of both keys on 100,000 personal records while citizens link HES codes,
 * look their codes up and taps are answered on a second node: the node running the job is killed
 * with SIGKILL twice, mid-way, and started again. At the end every record reads under the new keys
 * only, none is left under the old ones, every lookup during the rotation found its person, every
 * link succeeded, and every tap got the answer its card's records give.
 */
class KeyRotationCrashIT {
  private static final int OWNERS = 40_000;
  private static final long FIRST_CARD = 4_200_000_000_000_000L;
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");

  @Test
  void bothKeysRotateUnderLoadThroughTwoKills() throws Exception {
    try (TestEnvironment environment = new TestEnvironment(Map.of("citizen.requestsPerPersonPerMinute", "1000",
        "citizen.requestsPerAddressPerMinute", "1000000", "cardStore.expectedCards", "120000"))) {
      environment.migrate();
      long started = System.nanoTime();
      PersonalRecords.Seeded seeded = PersonalRecords.seed(environment, OWNERS, FIRST_CARD);
      long seededAt = System.nanoTime();
      assertThat(seeded.records()).isGreaterThanOrEqualTo(100_000);

      Map<String, String> rotating = new HashMap<>(environment.rotatedKeys(PersonalRecords.key(21), PersonalRecords.key(23)));
      Map<String, String> serving = new HashMap<>(rotating);
      serving.put("security.rotationRowsPerSecond", "0");
      TestNode server = environment.startNodeWith(serving);
      Map<String, String> jobVariables = new HashMap<>();
      rotating.forEach((key, value) -> jobVariables.put(ConfigSource.environmentName(key), value));
      jobVariables.put(ConfigSource.environmentName("security.rotationRowsPerSecond"), "20000");
      jobVariables.put(ConfigSource.environmentName("security.rotationBatchRows"), "2000");
      jobVariables.put(ConfigSource.environmentName("node.id"), "rotator");
      // A data folder of its own: the serving node holds the environment's map file.
      jobVariables.put(ConfigSource.environmentName("node.dataDir"), environment.dataDirectory().resolve("rotator").toString());

      Load load = new Load(environment, server, seeded.people());
      Thread citizens = new Thread(load::citizens, "citizens");
      Thread taps = new Thread(load::taps, "taps");
      citizens.start();
      taps.start();
      long total = seeded.records();
      List<Long> killedAt = new ArrayList<>();
      long rotatedAt;
      try {
        for (int kill = 1; kill <= 2; kill++) {
          NodeProcess rotator = NodeProcess.start(environment, "rotator-" + kill, jobVariables);
          long target = total * (kill == 1 ? 25 : 60) / 100;
          await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
              .until(() -> moved(environment) >= target || !rotator.alive());
          assertThat(rotator.alive()).as("rotator %d ran until %d records had moved (log %s)", kill, target, rotator.log()).isTrue();
          rotator.kill();
          long movedAtKill = moved(environment);
          killedAt.add(movedAtKill);
          assertThat(movedAtKill).as("after kill %d, short of everything", kill).isLessThan(total);
        }
        NodeProcess last = NodeProcess.start(environment, "rotator-last", jobVariables);
        try {
          JsonObject status = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
              .until(() -> PersonalRecords.keysStatus(server), PersonalRecords::retired);
          assertThat(status.getJsonArray("notYetCounted")).isEmpty();
          rotatedAt = System.nanoTime();
        } finally {
          last.stop();
        }
      } finally {
        load.stop.set(true);
        citizens.join();
        taps.join();
      }

      System.out.printf("key rotation under load: %,d records seeded in %.1f s; killed at %s records moved; every kind "
          + "retirable %.1f s after the first start; %,d lookups, %,d links, %,d taps, %d failures%n", seeded.records(),
          (seededAt - started) / 1e9, killedAt, (rotatedAt - seededAt) / 1e9, load.lookups.get(), load.links.get(), load.taps.get(),
          load.failures.size());
      assertThat(load.failures).as("lookups, links and taps that went wrong during the rotation").isEmpty();
      assertThat(load.lookups.get()).as("lookups during the rotation").isGreaterThan(100);
      assertThat(load.links.get()).as("codes linked during the rotation").isGreaterThan(50);
      assertThat(load.taps.get()).as("taps during the rotation").isGreaterThan(1_000);

      IdentityProtector newKeysOnly = new IdentityProtector(new SecurityConfig(PersonalRecords.key(21), PersonalRecords.key(23),
          2, 2, Map.of(), Map.of(), 0, 500, 3_600));
      long checked = PersonalRecords.assertEveryRecordUnderNewKeys(environment, newKeysOnly);
      assertThat(checked).isGreaterThan(seeded.records());
      // Every code linked during the rotation is found with the new keys alone.
      for (PersonalRecords.Person person : load.linked) {
        HttpResponse<Buffer> viewed = Load.view(server, person);
        assertThat(viewed.statusCode()).isEqualTo(200);
      }
    }
  }

  private static long moved(TestEnvironment environment) {
    return Long.parseLong(environment.column("SELECT coalesce(sum(moved), 0) FROM key_rotation").get(0));
  }

  /** Citizens and validators on the serving node, counting what went wrong. */
  private static final class Load {
    final AtomicBoolean stop = new AtomicBoolean();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<PersonalRecords.Person> linked = new ConcurrentLinkedQueue<>();
    final AtomicLong lookups = new AtomicLong();
    final AtomicLong links = new AtomicLong();
    final AtomicLong taps = new AtomicLong();
    private final TestEnvironment environment;
    private final TestNode node;
    private final List<PersonalRecords.Person> people;

    Load(TestEnvironment environment, TestNode node, List<PersonalRecords.Person> people) {
      this.environment = environment;
      this.node = node;
      this.people = people;
    }

    static HttpResponse<Buffer> view(TestNode node, PersonalRecords.Person person) {
      return node.citizen(HttpMethod.GET, "/v1/cards/" + CardNumber.format(person.card()) + "/hes-code",
          TestNode.jsonWithToken(node.citizenToken(person.subject())), null);
    }

    /** Alternately: a person with a code looks it up; a person without one links a new one. */
    void citizens() {
      Random random = new Random(17);
      List<PersonalRecords.Person> withoutCode = new ArrayList<>(people.stream().filter(p -> p.hesCode() == null).toList());
      while (!stop.get()) {
        PersonalRecords.Person looking = people.get(2 * random.nextInt(people.size() / 2));
        HttpResponse<Buffer> viewed = view(node, looking);
        lookups.incrementAndGet();
        if (viewed.statusCode() != 200 || !viewed.bodyAsJsonObject().getString("hesCode").startsWith(looking.hesCode().substring(0, 4))) {
          failures.add("lookup of card " + looking.card() + ": " + viewed.statusCode() + " " + viewed.bodyAsString());
        }
        if (withoutCode.isEmpty()) {
          continue;
        }
        PersonalRecords.Person linking = withoutCode.remove(random.nextInt(withoutCode.size()));
        String code = environment.healthMinistry().issue(linking.tckn(), PersonalRecords.FIRST_NAME, PersonalRecords.LAST_NAME,
            HesCodeRecord.Status.RISKLESS, LocalDate.now(ISTANBUL).plusDays(30).atStartOfDay()).hesCode();
        HttpResponse<Buffer> answer = node.citizen(HttpMethod.POST, "/v1/cards/" + CardNumber.format(linking.card()) + "/hes-code",
            TestNode.jsonWithToken(node.citizenToken(linking.subject())), new JsonObject().put("hesCode", code).toBuffer());
        links.incrementAndGet();
        if (answer.statusCode() != 201) {
          failures.add("link on card " + linking.card() + ": " + answer.statusCode() + " " + answer.bodyAsString());
        } else {
          linked.add(new PersonalRecords.Person(linking.tckn(), linking.card(), code, linking.risky()));
        }
      }
    }

    /** Taps of people whose answer the seeded records fix: linked and risky, linked, not linked. */
    void taps() {
      Random random = new Random(19);
      while (!stop.get()) {
        int i = 10 * random.nextInt(people.size() / 10);
        check(people.get(i), "HES_RISK");
        check(people.get(i + 2), "OK");
        taps.addAndGet(2);
      }
    }

    private void check(PersonalRecords.Person person, String expected) {
      String reason = node.reason(person.card());
      if (!reason.equals(expected)) {
        failures.add("tap of card " + person.card() + ": " + reason + ", expected " + expected);
      }
    }
  }
}
