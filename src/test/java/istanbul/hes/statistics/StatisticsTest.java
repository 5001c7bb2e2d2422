package istanbul.hes.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known sets of cards tap on two nodes over two days (yesterday and today, by the taps' own
 * Istanbul dates); the operators' statistics count exactly the distinct cards per day, per
 * month and over the period, and the personalized among them, across both nodes; a past day's
 * population figures stay as they were when the population changes.
 */
class StatisticsTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final Duration BOUND = Duration.ofSeconds(30);

  private static TestEnvironment environment;
  private static TestNode a;
  private static TestNode b;
  private static final Map<CardClass, List<Long>> cards = new HashMap<>();
  private static LocalDate today;
  private static LocalDate yesterday;

  @BeforeAll
  static void twoNodesAndAPopulation() {
    environment = new TestEnvironment(Map.of("statistics.flushSeconds", "1", "statistics.compactAfterSeconds", "0",
        "statistics.gaugeRefreshSeconds", "1"));
    environment.migrate();
    CardSeeder seeder = environment.offlineSeeder();
    for (CardClass kind : List.of(CardClass.OK, CardClass.ANONYMOUS, CardClass.RISKY, CardClass.NO_HES)) {
      cards.put(kind, seeder.create(java.util.Collections.nCopies(6, kind)));
    }
    a = environment.startClusterNode("a");
    b = environment.startClusterNode("b");
    today = LocalDate.now(ISTANBUL);
    yesterday = today.minusDays(1);
  }

  @AfterAll
  static void dropEverything() {
    environment.close();
  }

  private static String at(LocalDate day) {
    return day.atTime(12, 0).atZone(ISTANBUL).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
  }

  /** Taps each card once on {@code node}, dated {@code day}, in one batch. */
  private static void tap(TestNode node, LocalDate day, List<Long> tapped) {
    JsonArray taps = new JsonArray();
    for (long card : tapped) {
      taps.add(new JsonObject().put("card", CardNumber.format(card)).put("validator", "M2-TAKSIM-07").put("at", at(day)));
    }
    HttpResponse<Buffer> answer = node.postTaps("/v1/taps/batch", new JsonObject().put("taps", taps).toBuffer(),
        TestNode.jsonWithToken(environment.clusterToken()));
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
  }

  private static JsonObject statistics(TestNode node, LocalDate from, LocalDate to) {
    HttpResponse<Buffer> answer = node.operator(HttpMethod.GET, "/admin/v1/statistics?from=" + from + "&to=" + to, null);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject();
  }

  private static List<Long> of(CardClass kind, int from, int to) {
    return cards.get(kind).subList(from, to);
  }

  private static JsonObject day(JsonObject report, LocalDate day) {
    for (Object entry : report.getJsonArray("days")) {
      JsonObject figures = (JsonObject) entry;
      if (figures.getString("day").equals(day.toString())) {
        return figures;
      }
    }
    throw new AssertionError("no day " + day + " in " + report);
  }

  @Test
  void distinctCardsAreExactPerDayPerMonthAndOverThePeriodAcrossNodes() {
    // Yesterday's final population snapshot is taken at a node's first round.
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
        .until(() -> day(statistics(a, yesterday, yesterday), yesterday).getValue("population") != null);
    JsonObject yesterdayPopulation = day(statistics(a, yesterday, yesterday), yesterday).getJsonObject("population");
    assertThat(yesterdayPopulation.getBoolean("live")).isFalse();
    assertThat(yesterdayPopulation.getLong("cards")).isEqualTo(24);
    assertThat(yesterdayPopulation.getLong("personalized")).isEqualTo(18);
    assertThat(yesterdayPopulation.getLong("anonymous")).isEqualTo(6);
    assertThat(yesterdayPopulation.getLong("suspendedCards")).isEqualTo(6);
    assertThat(yesterdayPopulation.getLong("hesLinked")).isEqualTo(12);

    Map<LocalDate, Set<Long>> tapped = new TreeMap<>();
    Map<LocalDate, Set<Long>> personalized = new TreeMap<>();
    Map<LocalDate, Set<Long>> risky = new TreeMap<>();
    // Day 1 on a: OK 0-3, anonymous 0-2, risky 0-1; on b: OK 2-5 (two the same as a's), anonymous 1-3.
    List<Long> dayOneA = concat(of(CardClass.OK, 0, 4), of(CardClass.ANONYMOUS, 0, 3), of(CardClass.RISKY, 0, 2));
    List<Long> dayOneB = concat(of(CardClass.OK, 2, 6), of(CardClass.ANONYMOUS, 1, 4));
    tap(a, yesterday, dayOneA);
    tap(b, yesterday, dayOneB);
    tap(b, yesterday, dayOneB); // again: a card counts once
    // Day 2 on a: OK 0-1, no HES 0-3; on b: risky 1-3, anonymous 5, no HES 2-4.
    List<Long> dayTwoA = concat(of(CardClass.OK, 0, 2), of(CardClass.NO_HES, 0, 4));
    List<Long> dayTwoB = concat(of(CardClass.RISKY, 1, 4), of(CardClass.ANONYMOUS, 5, 6), of(CardClass.NO_HES, 2, 5));
    tap(a, today, dayTwoA);
    tap(b, today, dayTwoB);
    for (List<Long> list : List.of(dayOneA, dayOneB)) {
      expect(tapped, personalized, risky, yesterday, list);
    }
    for (List<Long> list : List.of(dayTwoA, dayTwoB)) {
      expect(tapped, personalized, risky, today, list);
    }

    assertFigures(tapped, personalized, risky);

    // The population grows on day 2; day 1's figures stay, today's follow.
    environment.offlineSeeder().create(List.of(CardClass.OK, CardClass.ANONYMOUS, CardClass.ANONYMOUS));
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
        .until(() -> day(statistics(b, today, today), today).getJsonObject("population") != null
            && day(statistics(b, today, today), today).getJsonObject("population").getLong("cards") == 27);
    assertThat(day(statistics(b, yesterday, yesterday), yesterday).getJsonObject("population")).isEqualTo(yesterdayPopulation);

    // A late tap for yesterday after its lists were compacted: still one union.
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
        .until(() -> environment.column("SELECT count(*) FROM statistics_compacted_days WHERE day = '" + yesterday + "'").get(0).equals("1"));
    List<Long> late = concat(of(CardClass.OK, 5, 6), of(CardClass.NO_HES, 5, 6));
    tap(a, yesterday, late);
    expect(tapped, personalized, risky, yesterday, late);
    assertFigures(tapped, personalized, risky);
    assertThat(a.metrics()).containsPattern("(?m)^gateway_statistics_active_cards\\{[^}]*\\} [0-9]");
  }

  private static void expect(Map<LocalDate, Set<Long>> tapped, Map<LocalDate, Set<Long>> personalized,
      Map<LocalDate, Set<Long>> risky, LocalDate day, List<Long> list) {
    for (long card : list) {
      tapped.computeIfAbsent(day, d -> new HashSet<>()).add(card);
      if (!cards.get(CardClass.ANONYMOUS).contains(card)) {
        personalized.computeIfAbsent(day, d -> new HashSet<>()).add(card);
      }
      if (cards.get(CardClass.RISKY).contains(card)) {
        risky.computeIfAbsent(day, d -> new HashSet<>()).add(card);
      }
    }
  }

  /** Per day, per month and over the period, with bounded polling until the nodes flushed. */
  private static void assertFigures(Map<LocalDate, Set<Long>> tapped, Map<LocalDate, Set<Long>> personalized,
      Map<LocalDate, Set<Long>> risky) {
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      JsonObject report = statistics(a, yesterday, today);
      for (LocalDate day : List.of(yesterday, today)) {
        JsonObject figures = day(report, day);
        assertThat(figures.getLong("activeCards")).as("active on %s", day).isEqualTo(tapped.get(day).size());
        assertThat(figures.getLong("activePersonalized")).as("personalized on %s", day).isEqualTo(personalized.get(day).size());
        assertThat(figures.getLong("hesRiskDeniedCards")).as("HES_RISK on %s", day).isEqualTo(risky.get(day).size());
      }
      Map<YearMonth, Set<Long>> perMonth = new TreeMap<>();
      Map<YearMonth, Set<Long>> personalizedPerMonth = new TreeMap<>();
      tapped.forEach((day, set) -> perMonth.computeIfAbsent(YearMonth.from(day), m -> new HashSet<>()).addAll(set));
      personalized.forEach((day, set) -> personalizedPerMonth.computeIfAbsent(YearMonth.from(day), m -> new HashSet<>()).addAll(set));
      JsonArray months = report.getJsonArray("months");
      assertThat(months).hasSize(perMonth.size());
      for (Object entry : months) {
        JsonObject month = (JsonObject) entry;
        YearMonth which = YearMonth.parse(month.getString("month"));
        assertThat(month.getLong("activeCards")).as("active in %s", which).isEqualTo(perMonth.get(which).size());
        assertThat(month.getLong("activePersonalized")).isEqualTo(personalizedPerMonth.get(which).size());
      }
      Set<Long> all = new HashSet<>();
      tapped.values().forEach(all::addAll);
      Set<Long> allPersonalized = new HashSet<>();
      personalized.values().forEach(allPersonalized::addAll);
      JsonObject period = report.getJsonObject("period");
      assertThat(period.getLong("activeCards")).isEqualTo(all.size());
      assertThat(period.getLong("activePersonalized")).isEqualTo(allPersonalized.size());
      assertThat(period.getDouble("activePersonalizedShare"))
          .isEqualTo(Math.round(10_000.0 * allPersonalized.size() / all.size()) / 10_000.0);
      // The same from the other node.
      assertThat(statistics(b, yesterday, today).getJsonObject("period")).isEqualTo(period);
    });
  }

  @SafeVarargs
  private static List<Long> concat(List<Long>... lists) {
    List<Long> all = new ArrayList<>();
    for (List<Long> list : lists) {
      all.addAll(list);
    }
    return all;
  }
}
