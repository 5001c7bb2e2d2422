package istanbul.hes.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.identity.IdentityProtector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x instance (with the suite's 200 ms blocked-thread threshold), a client of the shared
 * test Redis ({@link TestServers#redisUrl()}) and a key prefix of its own, so test classes never
 * see each other's keys, even on an external Redis. {@link #close()} deletes every key under the
 * prefix.
 */
public final class TestRedis implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Redis redis;
  private final String prefix;

  public TestRedis() {
    this(TestServers.redisUrl());
  }

  /** A client of another Redis URL (e.g. one nobody listens on). */
  public TestRedis(String url) {
    vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(200)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    prefix = "test-" + TestEnvironment.randomLowerCase(10) + ":";
  }

  public Vertx vertx() {
    return vertx;
  }

  public Redis redis() {
    return redis;
  }

  public String prefix() {
    return prefix;
  }

  public Response send(Request request) {
    return Await.result(redis.send(request));
  }

  /** Every key under this prefix. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response reply = send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*").arg("COUNT").arg(1000));
      cursor = reply.get(0).toString();
      reply.get(1).forEach(key -> keys.add(key.toString()));
    } while (!cursor.equals("0"));
    return keys;
  }

  /** A hash's fields and values as strings. */
  public Map<String, String> hash(String key) {
    Map<String, String> fields = new HashMap<>();
    Response reply = send(Request.cmd(Command.HGETALL).arg(key));
    for (String field : reply.getKeys()) {
      fields.put(field, reply.get(field).toString());
    }
    return fields;
  }

  public boolean exists(String key) {
    return send(Request.cmd(Command.EXISTS).arg(key)).toInteger() == 1;
  }

  public long pttl(String key) {
    return send(Request.cmd(Command.PTTL).arg(key)).toLong();
  }

  public void deleteKeys() {
    for (String key : keys()) {
      send(Request.cmd(Command.DEL).arg(key));
    }
  }

  @Override
  public void close() {
    try {
      deleteKeys();
    } catch (RuntimeException | AssertionError e) {
      // A client of an unreachable Redis has nothing to delete.
    }
    redis.close();
    Await.result(vertx.close());
  }

  /** Random identity keys, as a node has. */
  public static IdentityProtector identityProtector() {
    byte[] encryption = new byte[32];
    byte[] hash = new byte[32];
    RANDOM.nextBytes(encryption);
    RANDOM.nextBytes(hash);
    return new IdentityProtector(encryption, hash);
  }

  /** The citizen section with the documented defaults and these challenge and rate-limit settings. */
  public static CitizenConfig citizenConfig(int challengeTtlSeconds, int challengeMaxAttempts, int challengeCodeDigits,
      int challengesPerPersonPerMinute, int requestsPerPersonPerMinute, int requestsPerAddressPerMinute) {
    return istanbul.hes.config.GatewayConfig.from(istanbul.hes.config.ConfigSource.load(Optional.empty(), java.util.Map.of(
        "citizen.challengeTtlSeconds", Integer.toString(challengeTtlSeconds),
        "citizen.challengeMaxAttempts", Integer.toString(challengeMaxAttempts),
        "citizen.challengeCodeDigits", Integer.toString(challengeCodeDigits),
        "citizen.challengesPerPersonPerMinute", Integer.toString(challengesPerPersonPerMinute),
        "citizen.requestsPerPersonPerMinute", Integer.toString(requestsPerPersonPerMinute),
        "citizen.requestsPerAddressPerMinute", Integer.toString(requestsPerAddressPerMinute)), java.util.Map.of())).citizen();
  }

  /** A random Turkish mobile number in E.164, registered as personal data (it must never be logged). */
  public static String randomMobile() {
    StringBuilder number = new StringBuilder("+90532");
    for (int i = 0; i < 7; i++) {
      number.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return Pii.register(number.toString());
  }
}
