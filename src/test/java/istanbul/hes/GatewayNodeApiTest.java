package istanbul.hes;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The node's public API is what an embedding program needs (start, stop, readiness, its
 * configuration and bound ports); tests and benchmarks reach everything else from outside (the
 * listeners, /metrics, the database, the status stream), never through accessors kept for them.
 */
class GatewayNodeApiTest {
  @Test
  void theNodeExposesItsLifecycleAndListenersOnly() {
    assertThat(Arrays.stream(GatewayNode.class.getDeclaredMethods())
        .filter(method -> Modifier.isPublic(method.getModifiers()))
        .map(Method::getName)
        .distinct())
        .containsExactlyInAnyOrder("start", "stop", "config", "mapLoaded", "tapPort", "tapPorts", "citizenPort", "pointsPort", "adminPort");
  }
}
