package istanbul.hes.citizen.ratelimit;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import istanbul.hes.citizen.redis.LuaScript;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.PointsConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.logging.DependencyFailures;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits of the citizen API over Redis, in fixed one-minute windows (the same on every node,
 * numbered from the epoch): one counter per scope, subject and window,
 * {@code <prefix>rate:<scope>:<hash>:<window>}, incremented and given its expiry (the end of the
 * window plus a margin) in one atomic script, so a counter never outlives its window.
 *
 * <p>No personal data in the keys: a person is {@code HMAC("rate-limit", subject)}, a client
 * address {@code HMAC("rate-limit-address", address)} (an IP address is personal data too). IPv6
 * clients are counted per /64, the block one subscriber usually gets, so rotating addresses inside
 * it does not escape the limit.
 *
 * <p>When Redis fails (or does not answer within {@code citizen.rateLimitRedisTimeoutMillis}): see
 * {@link RateScope} — requests fail open (counted in {@link #failOpenCount}, logged at most once
 * per scope per {@code node.failureLogIntervalSeconds}), challenges fail closed with
 * {@link RateLimitUnavailable}.
 */
public final class RateLimiter {
  static final long WINDOW_MILLIS = 60_000;
  /** The counter lives this long after its window ends: clocks of nodes are a little apart. */
  private static final long EXPIRY_MARGIN_MILLIS = 5_000;
  private static final String PERSON_PURPOSE = "rate-limit";
  private static final String ADDRESS_PURPOSE = "rate-limit-address";
  private static final String STAFF_PURPOSE = "rate-limit-staff";
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  /** KEYS[1] the counter; ARGV[1] its expiry in ms, set by the first increment. Returns the count. */
  private static final LuaScript COUNT = new LuaScript("""
      local count = redis.call('INCR', KEYS[1])
      if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
      end
      return count
      """);

  private final Redis redis;
  private final String keyPrefix;
  private final CitizenConfig config;
  /** The points' limits; null in a limiter of the citizens' scopes only. */
  private final PointsConfig points;
  private final IdentityProtector protector;
  private final Clock clock;
  private final DependencyFailures failures;
  private final long warningIntervalMillis;
  private final Map<RateScope, AtomicLong> failOpen = new EnumMap<>(RateScope.class);
  private final Map<RateScope, AtomicLong> lastWarning = new EnumMap<>(RateScope.class);

  public RateLimiter(Redis redis, String keyPrefix, CitizenConfig config, IdentityProtector protector, Clock clock) {
    this(redis, keyPrefix, config, protector, clock, DependencyFailures.standalone());
  }

  /** @param failures counts Redis failures; its interval spaces this limiter's warnings (one per scope) */
  public RateLimiter(Redis redis, String keyPrefix, CitizenConfig config, IdentityProtector protector, Clock clock,
      DependencyFailures failures) {
    this(redis, keyPrefix, config, null, protector, clock, failures);
  }

  /** A limiter of the citizens' and the points' scopes. */
  public RateLimiter(Redis redis, String keyPrefix, CitizenConfig config, PointsConfig points, IdentityProtector protector,
      Clock clock, DependencyFailures failures) {
    this.points = points;
    this.failures = Objects.requireNonNull(failures, "failures");
    this.warningIntervalMillis = failures.logInterval().toMillis();
    this.redis = Objects.requireNonNull(redis, "redis");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    this.config = Objects.requireNonNull(config, "config");
    this.protector = Objects.requireNonNull(protector, "protector");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (RateScope scope : RateScope.values()) {
      failOpen.put(scope, new AtomicLong());
      lastWarning.put(scope, new AtomicLong(Long.MIN_VALUE));
    }
  }

  /** One more challenge for this person ({@code citizen.challengesPerPersonPerMinute}); fails closed. */
  public Future<Decision> challengeForPerson(String subjectKey) {
    return check(RateScope.CHALLENGE_PER_PERSON, personKey(subjectKey));
  }

  /** One more request of this person ({@code citizen.requestsPerPersonPerMinute}); fails open. */
  public Future<Decision> requestForPerson(String subjectKey) {
    return check(RateScope.REQUEST_PER_PERSON, personKey(subjectKey));
  }

  /** One more request from this client address ({@code citizen.requestsPerAddressPerMinute}); fails open. */
  public Future<Decision> requestForAddress(String address) {
    return check(RateScope.REQUEST_PER_ADDRESS, addressKey(address));
  }

  /** One more holder check of this sales-point agent ({@code points.holderChecksPerAgentPerMinute}); fails closed. */
  public Future<Decision> holderCheckForAgent(String agentId) {
    return check(RateScope.HOLDER_CHECK_PER_AGENT, staffKey("agent:" + agentId));
  }

  /** One more request of this sales-point agent ({@code points.requestsPerAgentPerMinute}); fails open. */
  public Future<Decision> requestForAgent(String agentId) {
    return check(RateScope.REQUEST_PER_AGENT, staffKey("agent:" + agentId));
  }

  /** One more request at this sales point ({@code points.requestsPerPointPerMinute}); fails open. */
  public Future<Decision> requestForPoint(String pointId) {
    return check(RateScope.REQUEST_PER_POINT, staffKey("point:" + pointId));
  }

  /** How many requests of this scope were let through uncounted because Redis failed: for a metric. */
  public long failOpenCount(RateScope scope) {
    return failOpen.get(scope).get();
  }

  /** The Redis key counting {@code subjectKey} in {@code scope} at {@code epochMillis}. */
  public String personCounterKey(RateScope scope, String subjectKey, long epochMillis) {
    return counterKey(scope, personKey(subjectKey), epochMillis / WINDOW_MILLIS);
  }

  /** The Redis key counting {@code address} ({@link RateScope#REQUEST_PER_ADDRESS}) at {@code epochMillis}. */
  public String addressCounterKey(String address, long epochMillis) {
    return counterKey(RateScope.REQUEST_PER_ADDRESS, addressKey(address), epochMillis / WINDOW_MILLIS);
  }

  private Future<Decision> check(RateScope scope, String subject) {
    long now = clock.millis();
    long window = Math.floorDiv(now, WINDOW_MILLIS);
    long windowEnd = (window + 1) * WINDOW_MILLIS;
    int limit = scope.limit(config, points);
    String expiry = Long.toString(windowEnd - now + EXPIRY_MARGIN_MILLIS);
    return COUNT.run(redis, List.of(counterKey(scope, subject, window)), List.of(expiry))
        .timeout(config.rateLimitRedisTimeoutMillis(), TimeUnit.MILLISECONDS)
        .map(count -> {
          if (count.toLong() <= limit) {
            return Decision.allow();
          }
          long seconds = (windowEnd - now + 999) / 1000;
          return Decision.deny((int) Math.max(1, Math.min(60, seconds)));
        })
        .recover(error -> redisFailed(scope, error, now));
  }

  private Future<Decision> redisFailed(RateScope scope, Throwable error, long now) {
    failures.count(DependencyFailures.Dependency.REDIS, "rate_limit_" + scope.id());
    AtomicLong last = lastWarning.get(scope);
    long previous = last.get();
    boolean warn = previous == Long.MIN_VALUE || now - previous >= warningIntervalMillis;
    if (warn && last.compareAndSet(previous, now)) {
      LOG.warn("rate limit {}: Redis failed ({}); {}", scope.id(), error.getMessage(),
          scope.failOpen() ? "requests let through uncounted" : "refused (fails closed)");
    }
    if (scope.failOpen()) {
      failOpen.get(scope).incrementAndGet();
      return Future.succeededFuture(Decision.allow());
    }
    return Future.failedFuture(new RateLimitUnavailable(scope, error));
  }

  private String counterKey(RateScope scope, String subject, long window) {
    return keyPrefix + "rate:" + scope.id() + ":" + subject + ":" + window;
  }

  private String personKey(String subjectKey) {
    return encode(protector.hash(PERSON_PURPOSE, Objects.requireNonNull(subjectKey, "subjectKey")));
  }

  private String staffKey(String staffId) {
    return encode(protector.hash(STAFF_PURPOSE, staffId));
  }

  private String addressKey(String address) {
    return encode(protector.hash(ADDRESS_PURPOSE, normalizeAddress(Objects.requireNonNull(address, "address"))));
  }

  /**
   * IPv4 as given; IPv6 reduced to its /64 ({@code "2001:db8:1:2::/64"}); an IPv4-mapped IPv6
   * address as its IPv4 address. Anything else (a host name, a Unix socket) lower-cased as is.
   */
  static String normalizeAddress(String address) {
    String text = address.trim();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    if (text.indexOf(':') >= 0 && IPV6_LITERAL.matcher(text).matches()) {
      try {
        // A literal (checked above), so no name lookup happens here.
        InetAddress parsed = InetAddress.getByName(text);
        byte[] bytes = parsed.getAddress();
        if (bytes.length == 16) {
          Arrays.fill(bytes, 8, 16, (byte) 0);
          return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        }
        return parsed.getHostAddress();
      } catch (UnknownHostException e) {
        return text.toLowerCase(Locale.ROOT);
      }
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static String encode(byte[] hash) {
    // 16 of the 32 bytes: 128 bits keep people apart and the keys short.
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
  }
}
