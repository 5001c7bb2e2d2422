package istanbul.hes.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The operators' listener. {@code operatorToken} opens the operator actions;
 * {@code personalDataOperators} ("name:token,name:token") names the people who may approve a
 * person's erasure or export, two different ones per request (the four-eyes rule; fewer than two:
 * those requests are refused).
 */
public record AdminConfig(String host, int port, String operatorToken, ListenerLimits limits, ListenerTlsConfig tls,
    Map<String, String> personalDataOperators) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");

  public AdminConfig {
    personalDataOperators = Map.copyOf(personalDataOperators);
  }

  static AdminConfig from(ConfigSource source) {
    String token = source.string("admin.operatorToken");
    if (!token.isEmpty() && token.length() < 24) {
      throw source.invalid("admin.operatorToken", "must be empty (operator actions off) or at least 24 characters");
    }
    return new AdminConfig(source.string("admin.host"), source.integer("admin.port", 0, 65535), token,
        ListenerLimits.from(source, "admin"), ListenerTlsConfig.from(source, "admin"), operators(source, token));
  }

  private static Map<String, String> operators(ConfigSource source, String operatorToken) {
    String key = "admin.personalDataOperators";
    Map<String, String> operators = new TreeMap<>();
    Set<String> tokens = new HashSet<>();
    for (String entry : source.string(key).split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.strip().split(":", 2);
      if (parts.length != 2 || !NAME.matcher(parts[0]).matches()) {
        throw source.invalid(key, "must be a comma-separated list of name:token (names of a-z, 0-9, '.', '_', '-')");
      }
      if (parts[1].length() < 24) {
        throw source.invalid(key, "the token of " + parts[0] + " must be at least 24 characters");
      }
      if (operators.put(parts[0], parts[1]) != null || !tokens.add(parts[1]) || parts[1].equals(operatorToken)) {
        throw source.invalid(key, "names " + parts[0] + " twice, or gives a token twice (also admin.operatorToken): "
            + "four eyes need two people with tokens of their own");
      }
    }
    return operators;
  }

  public boolean operatorActionsEnabled() {
    return !operatorToken.isEmpty();
  }

  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", operatorToken=" + (operatorToken.isEmpty() ? "none" : "***")
        + ", limits=" + limits + ", tls=" + tls + ", personalDataOperators=" + personalDataOperators.keySet() + "]";
  }
}
