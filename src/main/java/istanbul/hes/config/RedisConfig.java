package istanbul.hes.config;

public record RedisConfig(String url, int embeddedPort, String keyPrefix) {
  static RedisConfig from(ConfigSource source) {
    String url = source.string("redis.url");
    if (!url.isEmpty() && !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
      throw source.invalid("redis.url", "must be a redis:// or rediss:// URL, e.g. redis://redis.example:6379");
    }
    return new RedisConfig(url, source.integer("redis.embeddedPort", 0, 65535), source.string("redis.keyPrefix"));
  }

  public boolean embedded() {
    return url.isEmpty();
  }

  public RedisConfig withUrl(String newUrl) {
    return new RedisConfig(newUrl, embeddedPort, keyPrefix);
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + (embedded() ? "not set" : url.replaceAll("//[^@/]*@", "//***@")) + ", keyPrefix=" + keyPrefix + "]";
  }
}
