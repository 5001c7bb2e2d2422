package istanbul.hes.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DependencyFailuresTest {
  private static PgException sqlState(String state) {
    return new PgException("message", "FATAL", state, null);
  }

  @Test
  void connectionLevelFailuresAndOutageStatesAreOutages() {
    assertThat(DependencyFailures.postgresqlUnavailable(new ConnectException("Connection refused"))).isTrue();
    assertThat(DependencyFailures.postgresqlUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(DependencyFailures.postgresqlUnavailable(new VertxException("Timeout waiting for connection", true))).isTrue();
    assertThat(DependencyFailures.postgresqlUnavailable(new RuntimeException("wrapped", new ConnectException("refused")))).isTrue();
    for (String state : new String[] {"08006", "08001", "57P01", "57P02", "57P03", "53300"}) {
      assertThat(DependencyFailures.postgresqlUnavailable(sqlState(state))).as(state).isTrue();
    }
  }

  @Test
  void statementsPostgresqlRefusedAreNotOutages() {
    for (String state : new String[] {"23505", "23503", "42P01", "40001", "57014"}) {
      assertThat(DependencyFailures.postgresqlUnavailable(sqlState(state))).as(state).isFalse();
    }
    assertThat(DependencyFailures.postgresqlUnavailable(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void everyFailureIsCounted() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DependencyFailures failures = new DependencyFailures(meters, Duration.ofSeconds(10));
    for (int i = 0; i < 3; i++) {
      failures.record(DependencyFailures.Dependency.POSTGRESQL, "admin", new ConnectException("refused"));
    }
    assertThat(meters.get("gateway_dependency_failures").tag("dependency", "postgresql").tag("operation", "admin").counter().count())
        .isEqualTo(3);
  }
}
