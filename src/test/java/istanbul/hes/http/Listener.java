package istanbul.hes.http;

import istanbul.hes.testing.TestNode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The node's three HTTP listeners, as the tests reach them. */
enum Listener {
  TAP, CITIZEN, ADMIN;

  int port(TestNode node) {
    return switch (this) {
      case TAP -> node.node().tapPort();
      case CITIZEN -> node.node().citizenPort();
      case ADMIN -> node.node().adminPort();
    };
  }

  /** The listener's tag in the gateway_listener_* meters. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A meter of this listener from the node's /metrics (0 when absent). */
  double meter(TestNode node, String name, String reason) {
    String text = RawHttp.exchange(ADMIN.port(node), RawHttp.request("GET", "/metrics", Map.of(), null)).body();
    Matcher matcher = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(text);
    while (matcher.find()) {
      String labels = matcher.group(1);
      if (labels.contains("listener=\"" + label() + "\"") && (reason == null || labels.contains("reason=\"" + reason + "\""))) {
        return Double.parseDouble(matcher.group(2));
      }
    }
    return 0;
  }
}
