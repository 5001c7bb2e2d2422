package istanbul.hes.statistics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import istanbul.hes.tap.Reason;
import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.TapOutcome;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The figures operators ask for, in the seeds' terms, for a period of Istanbul days: per day, per
 * calendar month the period touches (whole months), and over the period. Cards in total,
 * personalized and anonymous, with a HES code and with an expired one, risky holders and their
 * suspended cards, blocked cards (from each day's snapshot; a month's is its last snapshot);
 * distinct cards that tapped and the personalized among them, distinct cards denied HES_RISK (exact
 * across nodes); taps by decision and reason. As JSON or CSV.
 */
public final class StatisticsReports {
  /** A year and its leap day, with room: the longest period one request may ask for. */
  public static final int MAX_DAYS = 400;

  private final StatisticsStore store;
  private final ZoneId zone;

  public StatisticsReports(Vertx vertx, Pool pool, ZoneId zone) {
    this.store = new StatisticsStore(vertx, pool);
    this.zone = zone;
  }

  /**
   * The cards that tapped within the last {@code days} days (today included), by card index
   * ({@code cards.card_index}), as far as the nodes have flushed them (statistics.flushSeconds).
   */
  public Future<IntPredicate> tappedWithin(int days) {
    LocalDate today = today();
    return store.union(today.minusDays(days - 1L), today, CardSet.TAPPED).map(union -> union::contains);
  }

  public LocalDate today() {
    return LocalDate.now(zone);
  }

  /** The figures of one period (a day, a month, or the whole range). */
  record Figures(String period, Population population, LocalDate populationDay, Map<CardSet, Long> active, long[] taps) {}

  /** The whole answer. */
  public record Report(LocalDate from, LocalDate to, ZoneId zone, Figures range, List<Figures> days, List<Figures> months) {
    public JsonObject toJson() {
      JsonArray dayList = new JsonArray();
      days.forEach(figures -> dayList.add(json(figures).put("day", figures.period())));
      JsonArray monthList = new JsonArray();
      months.forEach(figures -> monthList.add(json(figures).put("month", figures.period())));
      return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("timeZone", zone.getId())
          .put("period", json(range)).put("days", dayList).put("months", monthList);
    }

    public String toCsv() {
      StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
      days.forEach(figures -> csvRow(csv, "day", figures));
      months.forEach(figures -> csvRow(csv, "month", figures));
      csvRow(csv, "period", range);
      return csv.toString();
    }
  }

  private static final List<String> CSV_COLUMNS;

  static {
    List<String> columns = new ArrayList<>(List.of("kind", "period", "population_day", "cards", "personalized", "personalized_share",
        "anonymous", "hes_linked", "hes_linked_share", "hes_expired", "risky_holders", "suspended_cards", "blocked", "active_cards",
        "active_personalized", "active_personalized_share", "hes_risk_denied_cards", "taps", "allowed", "denied"));
    for (TapOutcome outcome : TapOutcome.all()) {
      columns.add(csvColumn(outcome));
    }
    CSV_COLUMNS = List.copyOf(columns);
  }

  /** The report of {@code from}…{@code to} (inclusive; the caller checked the period). */
  public Future<Report> report(LocalDate from, LocalDate to) {
    LocalDate first = from.withDayOfMonth(1);
    LocalDate last = YearMonth.from(to).atEndOfMonth();
    return store.populations(first, last).compose(populations -> store.taps(first, last).compose(taps ->
        store.distinctPerDay(from, to).compose(perDay -> store.distinct(from, to).compose(range -> months(from, to).map(perMonth -> {
          List<Figures> days = new ArrayList<>();
          for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            days.add(new Figures(day.toString(), populations.get(day), day, perDay.getOrDefault(day, Map.of()),
                taps.getOrDefault(day, new long[TapOutcome.all().length])));
          }
          List<Figures> months = new ArrayList<>();
          perMonth.forEach((month, active) -> {
            LocalDate latest = latestSnapshot(populations, month.atDay(1), month.atEndOfMonth());
            months.add(new Figures(month.toString(), latest == null ? null : populations.get(latest), latest, active,
                sum(taps, month.atDay(1), month.atEndOfMonth())));
          });
          LocalDate rangeSnapshot = latestSnapshot(populations, from, to);
          Figures whole = new Figures(from + "/" + to, rangeSnapshot == null ? null : populations.get(rangeSnapshot), rangeSnapshot,
              range, sum(taps, from, to));
          return new Report(from, to, zone, whole, days, months);
        })))));
  }

  private Future<Map<YearMonth, Map<CardSet, Long>>> months(LocalDate from, LocalDate to) {
    Map<YearMonth, Map<CardSet, Long>> perMonth = new java.util.LinkedHashMap<>();
    Future<Void> all = Future.succeededFuture();
    for (YearMonth month = YearMonth.from(from); !month.isAfter(YearMonth.from(to)); month = month.plusMonths(1)) {
      YearMonth current = month;
      all = all.compose(done -> store.distinct(current.atDay(1), current.atEndOfMonth()).map(counts -> {
        perMonth.put(current, counts);
        return null;
      }));
    }
    return all.map(done -> perMonth);
  }

  private static LocalDate latestSnapshot(Map<LocalDate, Population> populations, LocalDate from, LocalDate to) {
    LocalDate latest = null;
    for (LocalDate day : populations.keySet()) {
      if (!day.isBefore(from) && !day.isAfter(to) && (latest == null || day.isAfter(latest))) {
        latest = day;
      }
    }
    return latest;
  }

  private static long[] sum(Map<LocalDate, long[]> taps, LocalDate from, LocalDate to) {
    long[] total = new long[TapOutcome.all().length];
    taps.forEach((day, counts) -> {
      if (!day.isBefore(from) && !day.isAfter(to)) {
        for (int i = 0; i < total.length; i++) {
          total[i] += counts[i];
        }
      }
    });
    return total;
  }

  private static JsonObject json(Figures figures) {
    JsonObject json = new JsonObject();
    Population population = figures.population();
    if (population == null) {
      json.putNull("population");
    } else {
      json.put("population", new JsonObject()
          .put("day", figures.populationDay().toString())
          .put("live", population.live())
          .put("takenAt", population.takenAt().toString())
          .put("cards", population.cards())
          .put("personalized", population.personalized())
          .put("personalizedShare", share(population.personalized(), population.cards()))
          .put("anonymous", population.anonymous())
          .put("hesLinked", population.hesLinked())
          .put("hesLinkedShare", share(population.hesLinked(), population.cards()))
          .put("hesExpired", population.hesExpired())
          .put("riskyHolders", population.riskyHolders())
          .put("suspendedCards", population.suspendedCards())
          .put("blocked", population.blocked()));
    }
    long active = figures.active().getOrDefault(CardSet.TAPPED, 0L);
    long activePersonalized = figures.active().getOrDefault(CardSet.TAPPED_PERSONALIZED, 0L);
    json.put("activeCards", active)
        .put("activePersonalized", activePersonalized)
        .put("activePersonalizedShare", share(activePersonalized, active))
        .put("hesRiskDeniedCards", figures.active().getOrDefault(CardSet.DENIED_HES_RISK, 0L));
    JsonObject byReason = new JsonObject();
    JsonObject denials = new JsonObject();
    JsonObject monitored = new JsonObject();
    long total = 0;
    long allowed = 0;
    long ruleOff = 0;
    for (Reason reason : Reason.values()) {
      byReason.put(reason.name(), 0L);
    }
    for (TapOutcome outcome : TapOutcome.all()) {
      long count = figures.taps()[outcome.ordinal()];
      total += count;
      byReason.put(outcome.reason().name(), byReason.getLong(outcome.reason().name()) + count);
      if (outcome.decision() == TapOutcome.Decision.ALLOW) {
        allowed += count;
      } else {
        denials.put(outcome.reason().name(), count);
      }
      if (outcome.mode() == RuleMode.MONITOR) {
        monitored.put(outcome.reason().name(), count);
      } else if (outcome.mode() == RuleMode.OFF) {
        ruleOff += count;
      }
    }
    // monitored: allowed, with the reason the rule would have denied for (MONITOR); ruleOff: allowed because the rule is lifted.
    return json.put("taps", new JsonObject().put("total", total).put("allowed", allowed).put("denied", total - allowed)
        .put("byReason", byReason).put("monitored", monitored).put("ruleOff", ruleOff)).put("denials", denials);
  }

  private static void csvRow(StringBuilder csv, String kind, Figures figures) {
    JsonObject json = json(figures);
    JsonObject population = json.getJsonObject("population");
    List<Object> cells = new ArrayList<>(List.of(kind, figures.period()));
    if (population == null) {
      for (int i = 0; i < 11; i++) {
        cells.add("");
      }
    } else {
      for (String key : List.of("day", "cards", "personalized", "personalizedShare", "anonymous", "hesLinked", "hesLinkedShare",
          "hesExpired", "riskyHolders", "suspendedCards", "blocked")) {
        Object value = population.getValue(key);
        cells.add(value == null ? "" : value);
      }
    }
    for (String key : List.of("activeCards", "activePersonalized", "activePersonalizedShare", "hesRiskDeniedCards")) {
      Object value = json.getValue(key);
      cells.add(value == null ? "" : value);
    }
    JsonObject taps = json.getJsonObject("taps");
    cells.add(taps.getLong("total"));
    cells.add(taps.getLong("allowed"));
    cells.add(taps.getLong("denied"));
    for (TapOutcome outcome : TapOutcome.all()) {
      cells.add(figures.taps()[outcome.ordinal()]);
    }
    for (int i = 0; i < cells.size(); i++) {
      csv.append(i == 0 ? "" : ",").append(cells.get(i));
    }
    csv.append("\r\n");
  }

  /** A share with four decimals; null when there is nothing to share. */
  private static BigDecimal share(long part, long whole) {
    return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
  }

  /** taps_deny_hes_risk, taps_allow_hes_risk_monitor, taps_allow_ok_off, …: one column per kind of answer. */
  private static String csvColumn(TapOutcome outcome) {
    return ("taps_" + outcome.decision() + "_" + outcome.reason() + (outcome.mode() == RuleMode.ENFORCE ? "" : "_" + outcome.mode()))
        .toLowerCase(java.util.Locale.ROOT);
  }
}
