package istanbul.hes;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.config.StartupFailure;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.TestEnvironment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node that cannot start says so, and lets go of what it started, instead of hanging. */
class NodeStartFailureTest {
  @Test
  void withoutAnSmsGatewayTheNodeRefusesToStartNamingTheKey() {
    try (TestEnvironment environment = new TestEnvironment(Map.of("citizen.smsGatewayUrl", ""))) {
      Throwable failure = Await.failure(GatewayNode.start(environment.config()));
      assertThat(failure).isInstanceOfSatisfying(StartupFailure.class, startup -> {
        assertThat(startup.key()).isEqualTo("citizen.smsGatewayUrl");
        assertThat(startup.kind()).isEqualTo(StartupFailure.Kind.CONFIGURATION);
        assertThat(startup.problem()).contains("is empty");
      });
    }
  }

  @Test
  void aListenerPortInUseFailsTheStartLateInDeployment() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      // The citizen listener is deployed after the admin and tap listeners: the failure comes
      // when the node's Vert.x already runs verticles, and must still reach the caller.
      try (TestEnvironment environment = new TestEnvironment(Map.of("citizen.port", Integer.toString(taken.getLocalPort())))) {
        Throwable failure = Await.failure(GatewayNode.start(environment.config()));
        assertThat(failure).isInstanceOfSatisfying(StartupFailure.class, startup -> {
          assertThat(startup.key()).isEqualTo("citizen.port");
          assertThat(startup.kind()).isEqualTo(StartupFailure.Kind.ENVIRONMENT);
          assertThat(startup.problem()).contains("127.0.0.1:" + taken.getLocalPort()).contains("in use by another process");
        });
        // Nothing left behind: the same environment starts once the port is free.
        taken.close();
        environment.startNode().stop();
      }
    }
  }
}
