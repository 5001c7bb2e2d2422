package istanbul.hes.violation;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tap denied HES_RISK is answered only once its record for the Ministry of Interior is committed. */
class ViolationTapTest {
  @RegisterExtension
  static final SharedNode SHARED = new SharedNode();

  private static List<String> reports(long card) {
    return SHARED.environment().column("SELECT validator || ' ' || taps || ' ' || state || ' ' || (identity_enc IS NOT NULL) "
        + "FROM violation_outbox WHERE card_no = " + card);
  }

  @Test
  void aRiskDenialIsRecordedBeforeItIsAnsweredAndOtherDenialsAreNot() {
    long risky = SHARED.node().seeder().create(CardClass.RISKY);
    long expired = SHARED.node().seeder().create(CardClass.EXPIRED);
    assertThat(SHARED.node().reason(risky)).isEqualTo("HES_RISK");
    assertThat(reports(risky)).containsExactly(TestNode.VALIDATOR + " 1 PENDING true");
    assertThat(SHARED.node().reason(risky)).isEqualTo("HES_RISK");
    assertThat(reports(risky)).as("the same validator within the window").containsExactly(TestNode.VALIDATOR + " 2 PENDING true");
    assertThat(SHARED.node().reason(expired)).isEqualTo("HES_EXPIRED");
    assertThat(reports(expired)).isEmpty();
  }

  @Test
  void aBatchIsAnsweredOnceEveryRiskDenialInItIsRecorded() {
    long first = SHARED.node().seeder().create(CardClass.RISKY);
    long second = SHARED.node().seeder().create(CardClass.RISKY);
    long ok = SHARED.node().seeder().create(CardClass.OK);
    List<JsonObject> results = SHARED.node().batch(List.of(TestNode.tapBody(first), TestNode.tapBody(ok), TestNode.tapBody(second)));
    assertThat(results).extracting(result -> result.getString("reason")).containsExactly("HES_RISK", "OK", "HES_RISK");
    assertThat(reports(first)).hasSize(1);
    assertThat(reports(second)).hasSize(1);
    assertThat(reports(ok)).isEmpty();
  }

  @Test
  void whenTheRecordCannotBeWrittenTheValidatorIsToldToRetryAndOtherTapsGoOn() {
    long risky = SHARED.node().seeder().create(CardClass.RISKY);
    long ok = SHARED.node().seeder().create(CardClass.OK);
    SHARED.environment().sql("ALTER TABLE violation_outbox RENAME TO violation_outbox_away");
    try {
      assertProblem(SHARED.node().postTap(TestNode.tapBody(risky).encode()), 503, "VIOLATION_NOT_RECORDED");
      assertThat(SHARED.node().reason(ok)).isEqualTo("OK");
    } finally {
      SHARED.environment().sql("ALTER TABLE violation_outbox_away RENAME TO violation_outbox");
    }
    assertThat(SHARED.node().reason(risky)).as("the retry").isEqualTo("HES_RISK");
    assertThat(reports(risky)).hasSize(1);
    assertThat(SHARED.node().metrics()).containsPattern("(?m)^gateway_violation_record_failures_total\\{[^}]*\\} [1-9]")
        .containsPattern("(?m)^gateway_violations_recorded_total\\{[^}]*\\} [1-9]");
  }
}
