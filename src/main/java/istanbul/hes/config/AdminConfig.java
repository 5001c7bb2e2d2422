package istanbul.hes.config;

public record AdminConfig(String host, int port, String operatorToken, ListenerLimits limits, ListenerTlsConfig tls) {
  static AdminConfig from(ConfigSource source) {
    String token = source.string("admin.operatorToken");
    if (!token.isEmpty() && token.length() < 24) {
      throw source.invalid("admin.operatorToken", "must be empty (operator actions off) or at least 24 characters");
    }
    return new AdminConfig(source.string("admin.host"), source.integer("admin.port", 0, 65535), token,
        ListenerLimits.from(source, "admin"), ListenerTlsConfig.from(source, "admin"));
  }

  public boolean operatorActionsEnabled() {
    return !operatorToken.isEmpty();
  }

  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", operatorToken=" + (operatorToken.isEmpty() ? "none" : "***")
        + ", limits=" + limits + ", tls=" + tls + "]";
  }
}
