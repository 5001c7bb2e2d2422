package istanbul.hes.citizen.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.TestRedis;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate limits against the real test Redis: counts per window and scope, Retry-After, keys, Redis down. */
class RateLimiterTest {
  private static final int CHALLENGES = 3;
  private static final int PER_PERSON = 5;
  private static final int PER_ADDRESS = 7;

  private static TestRedis redis;
  private static IdentityProtector protector;

  /** A clock the test moves; starts 15 s into a window some way in the future (so its counters are fresh). */
  private final MovableClock clock = new MovableClock();
  private RateLimiter limiter;
  private String person;

  @BeforeAll
  static void start() {
    redis = new TestRedis();
    protector = TestRedis.identityProtector();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @BeforeEach
  void setUp() {
    redis.deleteKeys();
    long window = System.currentTimeMillis() / RateLimiter.WINDOW_MILLIS;
    clock.set(window * RateLimiter.WINDOW_MILLIS + 15_000);
    limiter = limiter(redis, clock);
    person = "TCKN:" + Pii.register(CardSeeder.syntheticTckn());
  }

  private static RateLimiter limiter(TestRedis target, Clock clock) {
    return new RateLimiter(target.redis(), target.prefix(),
        TestRedis.citizenConfig(300, 5, 6, CHALLENGES, PER_PERSON, PER_ADDRESS), protector, clock);
  }

  private Decision challenge(String subject) {
    return Await.result(limiter.challengeForPerson(subject));
  }

  private Decision request(String subject) {
    return Await.result(limiter.requestForPerson(subject));
  }

  private Decision address(String address) {
    return Await.result(limiter.requestForAddress(address));
  }

  @Test
  void allowsTheLimitThenDeniesUntilTheWindowEnds() {
    for (int i = 0; i < CHALLENGES; i++) {
      assertThat(challenge(person)).as("challenge %d", i + 1).isEqualTo(Decision.allow());
    }
    assertThat(challenge(person)).isEqualTo(Decision.deny(45));

    clock.advance(44_500);
    assertThat(challenge(person)).isEqualTo(Decision.deny(1));

    clock.advance(500);
    assertThat(challenge(person)).isEqualTo(Decision.allow());
  }

  @Test
  void withTheRealClockRetryAfterIsWithinAMinute() {
    RateLimiter real = limiter(redis, Clock.systemUTC());
    for (int i = 0; i < PER_PERSON; i++) {
      assertThat(Await.result(real.requestForPerson(person)).allowed()).isTrue();
    }
    Decision denied = Await.result(real.requestForPerson(person));
    // The window may just have turned over: then the request starts a fresh count.
    if (!denied.allowed()) {
      assertThat(denied.retryAfterSeconds()).isBetween(1, 60);
    }
  }

  @Test
  void scopesPeopleAndAddressesAreCountedApart() {
    String other = "TCKN:" + Pii.register(CardSeeder.syntheticTckn());
    for (int i = 0; i < CHALLENGES; i++) {
      challenge(person);
    }
    assertThat(challenge(person).allowed()).isFalse();
    assertThat(challenge(other).allowed()).isTrue();
    for (int i = 0; i < PER_PERSON; i++) {
      assertThat(request(person).allowed()).isTrue();
    }
    assertThat(request(person).allowed()).isFalse();
    assertThat(request(other).allowed()).isTrue();

    for (int i = 0; i < PER_ADDRESS; i++) {
      assertThat(address("203.0.113.9").allowed()).isTrue();
    }
    assertThat(address("203.0.113.9").allowed()).isFalse();
    assertThat(address("203.0.113.10").allowed()).isTrue();
  }

  @Test
  void ipv6ClientsAreCountedPerSlash64() {
    for (int i = 0; i < PER_ADDRESS; i++) {
      assertThat(address("2001:db8:1:2::" + Integer.toHexString(i + 1)).allowed()).isTrue();
    }
    assertThat(address("[2001:db8:1:2:ffff::1]").allowed()).isFalse();
    assertThat(address("2001:db8:1:3::1").allowed()).isTrue();

    assertThat(RateLimiter.normalizeAddress("2001:DB8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(RateLimiter.normalizeAddress("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(RateLimiter.normalizeAddress("192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(RateLimiter.normalizeAddress("Some.Host")).isEqualTo("some.host");
  }

  @Test
  void keysNameScopeHashAndWindowAndExpireAfterTheirWindow() {
    challenge(person);
    request(person);
    address("198.51.100.7");
    long window = clock.millis() / RateLimiter.WINDOW_MILLIS;

    List<String> keys = redis.keys();
    assertThat(keys).hasSize(3).allMatch(key -> key.matches(
        java.util.regex.Pattern.quote(redis.prefix()) + "rate:(challenge-person|request-person|request-address):[A-Za-z0-9_-]{22}:" + window));
    assertThat(keys).contains(
        limiter.personCounterKey(RateScope.CHALLENGE_PER_PERSON, person, clock.millis()),
        limiter.personCounterKey(RateScope.REQUEST_PER_PERSON, person, clock.millis()),
        limiter.addressCounterKey("198.51.100.7", clock.millis()));
    String tckn = person.substring("TCKN:".length());
    for (String key : keys) {
      assertThat(key).doesNotContain(tckn).doesNotContain("198.51.100.7");
      // 45 s left in the window, plus the margin.
      assertThat(redis.pttl(key)).isBetween(1L, 50_000L);
    }
  }

  @Test
  void whenRedisIsDownRequestsPassAndChallengesAreRefused() {
    try (TestRedis nowhere = new TestRedis("redis://127.0.0.1:1")) {
      RateLimiter down = limiter(nowhere, clock);
      int from = LogCapture.lines().size();

      for (int i = 0; i < 3; i++) {
        assertThat(Await.result(down.requestForPerson(person))).isEqualTo(Decision.allow());
        assertThat(Await.result(down.requestForAddress("192.0.2.44"))).isEqualTo(Decision.allow());
        assertThat(Await.failure(down.challengeForPerson(person))).isInstanceOfSatisfying(RateLimitUnavailable.class,
            e -> assertThat(e.scope()).isEqualTo(RateScope.CHALLENGE_PER_PERSON));
      }

      assertThat(down.failOpenCount(RateScope.REQUEST_PER_PERSON)).isEqualTo(3);
      assertThat(down.failOpenCount(RateScope.REQUEST_PER_ADDRESS)).isEqualTo(3);
      assertThat(down.failOpenCount(RateScope.CHALLENGE_PER_PERSON)).isZero();
      List<String> warnings = LogCapture.lines().subList(from, LogCapture.lines().size()).stream()
          .filter(line -> line.contains(RateLimiter.class.getName())).toList();
      // One line per scope, not one per request.
      assertThat(warnings).hasSize(3);
      assertThat(String.join("\n", warnings)).doesNotContain(person.substring(5)).doesNotContain("192.0.2.44");
    }
  }

  private static final class MovableClock extends Clock {
    private final AtomicLong millis = new AtomicLong();

    void set(long epochMillis) {
      millis.set(epochMillis);
    }

    void advance(long delta) {
      millis.addAndGet(delta);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
