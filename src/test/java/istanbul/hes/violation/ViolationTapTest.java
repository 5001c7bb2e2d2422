package istanbul.hes.violation;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tap denied HES_RISK is answered only once its record for the Ministry of Interior is committed. */
class ViolationTapTest {
  private static TestEnvironment environment;
  private static TestNode node;

  @BeforeAll
  static void startNode() {
    environment = new TestEnvironment();
    node = environment.startNode();
  }

  @AfterAll
  static void stopNode() {
    environment.close();
  }

  private static List<String> reports(long card) {
    return environment.column("SELECT validator || ' ' || taps || ' ' || state || ' ' || (identity_enc IS NOT NULL) "
        + "FROM violation_outbox WHERE card_no = " + card);
  }

  @Test
  void aRiskDenialIsRecordedBeforeItIsAnsweredAndOtherDenialsAreNot() {
    long risky = node.seeder().create(CardClass.RISKY);
    long expired = node.seeder().create(CardClass.EXPIRED);
    assertThat(node.reason(risky)).isEqualTo("HES_RISK");
    assertThat(reports(risky)).containsExactly(TestNode.VALIDATOR + " 1 PENDING true");
    assertThat(node.reason(risky)).isEqualTo("HES_RISK");
    assertThat(reports(risky)).as("the same validator within the window").containsExactly(TestNode.VALIDATOR + " 2 PENDING true");
    assertThat(node.reason(expired)).isEqualTo("HES_EXPIRED");
    assertThat(reports(expired)).isEmpty();
  }

  @Test
  void aBatchIsAnsweredOnceEveryRiskDenialInItIsRecorded() {
    long first = node.seeder().create(CardClass.RISKY);
    long second = node.seeder().create(CardClass.RISKY);
    long ok = node.seeder().create(CardClass.OK);
    List<JsonObject> results = node.batch(List.of(TestNode.tapBody(first), TestNode.tapBody(ok), TestNode.tapBody(second)));
    assertThat(results).extracting(result -> result.getString("reason")).containsExactly("HES_RISK", "OK", "HES_RISK");
    assertThat(reports(first)).hasSize(1);
    assertThat(reports(second)).hasSize(1);
    assertThat(reports(ok)).isEmpty();
  }

  @Test
  void whenTheRecordCannotBeWrittenTheValidatorIsToldToRetryAndOtherTapsGoOn() {
    long risky = node.seeder().create(CardClass.RISKY);
    long ok = node.seeder().create(CardClass.OK);
    environment.sql("ALTER TABLE violation_outbox RENAME TO violation_outbox_away");
    try {
      assertProblem(node.postTap(TestNode.tapBody(risky).encode()), 503, "VIOLATION_NOT_RECORDED");
      assertThat(node.reason(ok)).isEqualTo("OK");
    } finally {
      environment.sql("ALTER TABLE violation_outbox_away RENAME TO violation_outbox");
    }
    assertThat(node.reason(risky)).as("the retry").isEqualTo("HES_RISK");
    assertThat(reports(risky)).hasSize(1);
    assertThat(node.metrics()).containsPattern("(?m)^gateway_violation_record_failures_total\\{[^}]*\\} [1-9]")
        .containsPattern("(?m)^gateway_violations_recorded_total\\{[^}]*\\} [1-9]");
  }
}
