package istanbul.hes.config;

import java.util.regex.Pattern;

public record DatabaseConfig(String url, String password, String schema, int poolSize, int embeddedPort) {
  private static final Pattern USER = Pattern.compile("^postgres(?:ql)?://[^@/?#]+@");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  static DatabaseConfig from(ConfigSource source) {
    String url = source.string("database.url");
    if (!url.isEmpty() && !(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      throw source.invalid("database.url", "must be a postgresql:// URL, e.g. postgresql://gateway@db.example:5432/hes");
    }
    // The client would otherwise log in as a user literally named "user" and say so only in its error.
    if (!url.isEmpty() && !USER.matcher(url).find()) {
      throw source.invalid("database.url", "must name the user, e.g. postgresql://gateway@db.example:5432/hes");
    }
    String schema = source.string("database.schema");
    if (!SCHEMA.matcher(schema).matches()) {
      throw source.invalid("database.schema", "must be a lower-case SQL identifier, was '" + schema + "'");
    }
    return new DatabaseConfig(
        url,
        source.string("database.password"),
        schema,
        source.integer("database.poolSize", 1, 512),
        source.integer("database.embeddedPort", 0, 65535));
  }

  public boolean embedded() {
    return url.isEmpty();
  }

  public DatabaseConfig withUrl(String newUrl) {
    return new DatabaseConfig(newUrl, password, schema, poolSize, embeddedPort);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url=" + (embedded() ? "not set" : url.replaceAll("//([^:@/]+):[^@/]*@", "//$1:***@"))
        + ", schema=" + schema + ", poolSize=" + poolSize + "]";
  }
}
