package istanbul.hes.statistics;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.testing.SharedNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The statistics endpoint's contract: its periods, its two formats, and a clear 400 for every bad question. */
class StatisticsApiTest {
  @RegisterExtension
  static final SharedNode SHARED = new SharedNode();

  private static HttpResponse<Buffer> get(String query) {
    return SHARED.node().operator(HttpMethod.GET, "/admin/v1/statistics" + query, null);
  }

  @Test
  void withoutAPeriodItIsTheMonthSoFarDayByDay() {
    LocalDate today = LocalDate.now(ZoneId.of("Europe/Istanbul"));
    HttpResponse<Buffer> answer = get("");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.getHeader("Content-Type")).startsWith("application/json");
    JsonObject report = answer.bodyAsJsonObject();
    assertThat(report.getString("from")).isEqualTo(today.withDayOfMonth(1).toString());
    assertThat(report.getString("to")).isEqualTo(today.toString());
    assertThat(report.getString("timeZone")).isEqualTo("Europe/Istanbul");
    assertThat(report.getJsonArray("days")).hasSize(today.getDayOfMonth());
    assertThat(report.getJsonArray("months")).hasSize(1);
    JsonObject period = report.getJsonObject("period");
    assertThat(period.getJsonObject("taps").getJsonObject("byReason").fieldNames())
        .containsExactlyInAnyOrder("OK", "HES_RISK", "NO_HES_CODE", "HES_EXPIRED", "NOT_PERSONALIZED", "CARD_BLOCKED", "UNKNOWN_CARD");
    assertThat(period.getJsonObject("denials").fieldNames()).doesNotContain("OK").hasSize(6);
  }

  @Test
  void theCsvHasARowPerDayPerMonthAndForThePeriod() {
    HttpResponse<Buffer> answer = get("?from=2026-10-30&to=2026-11-02&format=csv");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(answer.getHeader("Content-Disposition")).contains("hes-statistics-2026-10-30-2026-11-02.csv");
    List<String> lines = answer.bodyAsString().lines().toList();
    assertThat(lines.get(0)).startsWith("kind,period,population_day,cards,personalized,personalized_share");
    assertThat(lines).hasSize(1 + 4 + 2 + 1);
    assertThat(lines.subList(1, 5)).allMatch(line -> line.startsWith("day,"));
    assertThat(lines.get(5)).startsWith("month,2026-10,");
    assertThat(lines.get(6)).startsWith("month,2026-11,");
    assertThat(lines.get(7)).startsWith("period,2026-10-30/2026-11-02,");
    int columns = lines.get(0).split(",", -1).length;
    assertThat(lines).allMatch(line -> line.split(",", -1).length == columns);
  }

  @ParameterizedTest
  @ValueSource(strings = {"?from=2026-11-30&to=2026-11-01", "?from=2026-13-01", "?from=2026-02-30", "?to=26-11-01",
      "?from=%D9%A2%D9%A0%D9%A2%D9%A6-11-01", "?from=２０２６-11-01", "?from=2026-11-01&from=2026-11-02",
      "?from=2025-01-01&to=2026-11-30", "?format=xml", "?from=2026-11-01T00:00", "?from="})
  void aBadPeriodOrFormatIsRefusedNamingWhatIsWrong(String query) {
    HttpResponse<Buffer> answer = get(query);
    assertProblem(answer, 400, "INVALID_REQUEST");
  }

  @Test
  void withoutTheOperatorTokenNothingIsShown() {
    HttpResponse<Buffer> answer = SHARED.node().admin(HttpMethod.GET, "/admin/v1/statistics", (Buffer) null, null);
    assertThat(answer.statusCode()).isEqualTo(401);
  }
}
