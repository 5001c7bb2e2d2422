package istanbul.hes.citizen.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.sqlclient.ClosedConnectionException;
import istanbul.hes.citizen.challenge.sms.RecordingSmsGateway;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Challenges against the real test Redis: issue, verify, attempts, expiry, single use, no personal data. */
class ChallengeServiceTest {
  private static final int MAX_ATTEMPTS = 5;

  private static TestRedis redis;
  private static IdentityProtector protector;
  private static RecordingSmsGateway sms;
  private static ChallengeService challenges;

  private String subject;
  private PhoneNumber phone;

  @BeforeAll
  static void start() {
    redis = new TestRedis();
    protector = TestRedis.identityProtector();
    sms = new RecordingSmsGateway();
    challenges = service(TestRedis.citizenConfig(300, MAX_ATTEMPTS, 6, 3, 60, 600));
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @BeforeEach
  void person() {
    subject = "TCKN:" + Pii.register(CardSeeder.syntheticTckn());
    phone = PhoneNumber.parse(TestRedis.randomMobile());
  }

  private static ChallengeService service(CitizenConfig config) {
    return new ChallengeService(redis.redis(), redis.prefix(), config, sms, protector, Clock.systemUTC());
  }

  private IssuedChallenge issue() {
    return Await.result(challenges.issue(subject, phone));
  }

  private String code() {
    return sms.lastCodeFor(phone).orElseThrow();
  }

  private ChallengeOutcome verify(IssuedChallenge challenge, String code) {
    return Await.result(challenges.verify(challenge.challengeId(), code, subject, phone));
  }

  private static String wrong(String code) {
    return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
  }

  @Test
  void theRightCodeVerifiesOnce() {
    Instant before = Instant.now();
    IssuedChallenge challenge = issue();

    assertThat(challenge.challengeId()).matches("[A-Za-z0-9_-]{22}");
    assertThat(challenge.expiresAt()).isBetween(before.plusSeconds(299), before.plusSeconds(301));
    assertThat(sms.messagesFor(phone)).singleElement().asString().matches("HES gateway verification code: [0-9]{6}");
    assertThat(verify(challenge, code())).isEqualTo(ChallengeOutcome.VERIFIED);
    assertThat(verify(challenge, code())).isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
    assertThat(redis.exists(challenges.key(challenge.challengeId()))).isFalse();
  }

  @Test
  void eachChallengeHasItsOwnIdAndCode() {
    IssuedChallenge first = issue();
    String firstCode = code();
    IssuedChallenge second = issue();
    String secondCode = code();

    assertThat(second.challengeId()).isNotEqualTo(first.challengeId());
    if (!firstCode.equals(secondCode)) {
      assertThat(verify(first, secondCode)).isEqualTo(ChallengeOutcome.WRONG_CODE);
    }
    assertThat(verify(first, firstCode)).isEqualTo(ChallengeOutcome.VERIFIED);
    assertThat(verify(second, secondCode)).isEqualTo(ChallengeOutcome.VERIFIED);
  }

  @Test
  void fourWrongAnswersLeaveTheFifthAttemptToTheRightCode() {
    IssuedChallenge challenge = issue();
    String code = code();

    for (int i = 1; i < MAX_ATTEMPTS; i++) {
      assertThat(verify(challenge, wrong(code))).as("wrong answer %d", i).isEqualTo(ChallengeOutcome.WRONG_CODE);
    }
    assertThat(redis.hash(challenges.key(challenge.challengeId()))).containsEntry("attempts", "4");
    assertThat(verify(challenge, code)).isEqualTo(ChallengeOutcome.VERIFIED);
  }

  @Test
  void theFifthWrongAnswerBurnsTheChallenge() {
    IssuedChallenge challenge = issue();
    String code = code();

    for (int i = 1; i < MAX_ATTEMPTS; i++) {
      assertThat(verify(challenge, wrong(code))).isEqualTo(ChallengeOutcome.WRONG_CODE);
    }
    assertThat(verify(challenge, "not a code")).isEqualTo(ChallengeOutcome.BURNED);
    assertThat(redis.exists(challenges.key(challenge.challengeId()))).isFalse();
    assertThat(verify(challenge, code)).isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
  }

  @Test
  void anotherPersonOrPhoneFailsAndSpendsAnAttempt() {
    IssuedChallenge challenge = issue();
    String code = code();
    String otherSubject = "TCKN:" + Pii.register(CardSeeder.syntheticTckn());
    PhoneNumber otherPhone = PhoneNumber.parse(TestRedis.randomMobile());

    assertThat(Await.result(challenges.verify(challenge.challengeId(), code, otherSubject, phone)))
        .isEqualTo(ChallengeOutcome.WRONG_CODE);
    assertThat(Await.result(challenges.verify(challenge.challengeId(), code, subject, otherPhone)))
        .isEqualTo(ChallengeOutcome.WRONG_CODE);
    assertThat(Await.result(challenges.verify(challenge.challengeId(), code, null, null)))
        .isEqualTo(ChallengeOutcome.WRONG_CODE);
    assertThat(redis.hash(challenges.key(challenge.challengeId()))).containsEntry("attempts", "3");

    assertThat(verify(challenge, wrong(code))).isEqualTo(ChallengeOutcome.WRONG_CODE);
    assertThat(Await.result(challenges.verify(challenge.challengeId(), code, otherSubject, otherPhone)))
        .isEqualTo(ChallengeOutcome.BURNED);
    assertThat(verify(challenge, code)).isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
  }

  @Test
  void unknownAndMalformedIdsAreUnknown() {
    assertThat(Await.result(challenges.verify("AAAAAAAAAAAAAAAAAAAAAA", "123456", subject, phone)))
        .isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
    assertThat(Await.result(challenges.verify("../../etc", "123456", subject, phone)))
        .isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
    assertThat(Await.result(challenges.verify(null, null, null, null)))
        .isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
  }

  @Test
  void aChallengeExpiresWithItsTtl() {
    ChallengeService shortLived = service(TestRedis.citizenConfig(1, MAX_ATTEMPTS, 6, 3, 60, 600));
    IssuedChallenge challenge = Await.result(shortLived.issue(subject, phone));
    String key = shortLived.key(challenge.challengeId());

    assertThat(redis.pttl(key)).isBetween(1L, 1000L);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> !redis.exists(key));
    assertThat(Await.result(shortLived.verify(challenge.challengeId(), code(), subject, phone)))
        .isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
  }

  @Test
  void ofTwentyConcurrentRightAnswersExactlyOneVerifies() {
    IssuedChallenge challenge = issue();
    String code = code();

    List<Future<ChallengeOutcome>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(challenges.verify(challenge.challengeId(), code, subject, phone));
    }
    Await.result(Future.join(answers));

    Map<ChallengeOutcome, Long> counts = answers.stream()
        .collect(Collectors.groupingBy(Future::result, Collectors.counting()));
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
        ChallengeOutcome.VERIFIED, 1L, ChallengeOutcome.EXPIRED_OR_UNKNOWN, 19L));
  }

  @Test
  void aWriteFailedByAnOutageLeavesTheChallengeForItsRetryOfTheSameScopeOnly() {
    IssuedChallenge challenge = issue();
    String code = code();
    String key = challenges.key(challenge.challengeId());
    long ttlBefore = redis.pttl(key);
    AtomicInteger writes = new AtomicInteger();

    Throwable outage = Await.failure(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1",
        () -> {
          writes.incrementAndGet();
          return Future.failedFuture(ClosedConnectionException.INSTANCE);
        }));

    assertThat(outage).isSameAs(ClosedConnectionException.INSTANCE);
    assertThat(writes).hasValue(1);
    assertThat(redis.hash(key)).doesNotContainKey("claim").containsKey("scope").containsEntry("attempts", "0");
    assertThat(redis.pttl(key)).isBetween(1L, ttlBefore);
    // Another write (another card) cannot take it, and that spends no attempt.
    assertThat(refusal(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:2", () -> {
      writes.incrementAndGet();
      return Future.succeededFuture("written");
    }))).isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
    assertThat(redis.hash(key)).containsEntry("attempts", "0");

    assertThat(Await.result(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1", () -> {
      writes.incrementAndGet();
      return Future.succeededFuture("written");
    }))).isEqualTo("written");
    assertThat(writes).hasValue(2);
    assertThat(redis.exists(key)).isFalse();
    assertThat(refusal(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1",
        () -> Future.succeededFuture("again")))).isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
  }

  @Test
  void aWriteRefusedForItsContentUsesTheChallengeUp() {
    IssuedChallenge challenge = issue();
    String code = code();

    Throwable refused = Await.failure(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1",
        () -> Future.failedFuture(new IllegalStateException("card not available"))));

    assertThat(refused).isInstanceOf(IllegalStateException.class);
    assertThat(redis.exists(challenges.key(challenge.challengeId()))).isFalse();
  }

  @Test
  void aWrongAnswerIsNotWrittenAndAKeptChallengeStillBurns() {
    IssuedChallenge challenge = issue();
    String code = code();
    AtomicInteger writes = new AtomicInteger();
    Await.failure(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1",
        () -> Future.failedFuture(ClosedConnectionException.INSTANCE)));

    for (int i = 1; i < MAX_ATTEMPTS; i++) {
      assertThat(refusal(challenges.redeem(challenge.challengeId(), wrong(code), subject, phone, "card:1", () -> {
        writes.incrementAndGet();
        return Future.succeededFuture("written");
      }))).isEqualTo(ChallengeOutcome.WRONG_CODE);
    }
    assertThat(verify(challenge, wrong(code))).isEqualTo(ChallengeOutcome.BURNED);
    assertThat(refusal(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1", () -> {
      writes.incrementAndGet();
      return Future.succeededFuture("written");
    }))).isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
    assertThat(writes).hasValue(0);
  }

  @Test
  void ofTwentyConcurrentRedemptionsExactlyOneWritesEvenAfterAnOutage() {
    IssuedChallenge challenge = issue();
    String code = code();
    Await.failure(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1",
        () -> Future.failedFuture(ClosedConnectionException.INSTANCE)));
    AtomicInteger writes = new AtomicInteger();

    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(challenges.redeem(challenge.challengeId(), code, subject, phone, "card:1", () -> {
        writes.incrementAndGet();
        return Future.succeededFuture("written");
      }));
    }
    Await.result(Future.join(answers).otherwiseEmpty());

    assertThat(writes).hasValue(1);
    assertThat(answers).filteredOn(Future::succeeded).hasSize(1);
    assertThat(answers).filteredOn(Future::failed)
        .allSatisfy(answer -> assertThat(answer.cause()).isInstanceOfSatisfying(ChallengeRefused.class,
            refused -> assertThat(refused.outcome()).isEqualTo(ChallengeOutcome.EXPIRED_OR_UNKNOWN)));
  }

  private static ChallengeOutcome refusal(Future<?> redemption) {
    Throwable failure = Await.failure(redemption);
    assertThat(failure).isInstanceOf(ChallengeRefused.class);
    return ((ChallengeRefused) failure).outcome();
  }

  @Test
  void codesOfAllLengthsKeepTheirLeadingZeros() {
    ChallengeService eightDigits = service(TestRedis.citizenConfig(300, MAX_ATTEMPTS, 8, 3, 60, 600));
    for (int i = 0; i < 30; i++) {
      IssuedChallenge challenge = Await.result(eightDigits.issue(subject, phone));
      assertThat(code()).hasSize(8).containsOnlyDigits();
      assertThat(Await.result(eightDigits.verify(challenge.challengeId(), code(), subject, phone)))
          .isEqualTo(ChallengeOutcome.VERIFIED);
    }
  }

  @Test
  void redisHoldsNoCodePhoneOrPersonInClear() {
    IssuedChallenge challenge = issue();
    String code = code();
    String key = challenges.key(challenge.challengeId());

    Map<String, String> stored = redis.hash(key);
    assertThat(stored).containsOnlyKeys("code", "subject", "phone", "attempts").containsEntry("attempts", "0");
    assertThat(redis.pttl(key)).isBetween(290_000L, 300_000L);
    String everything = String.join("\n", redis.keys()) + "\n" + stored.values();
    String tckn = subject.substring("TCKN:".length());
    assertThat(everything)
        .doesNotContain(code)
        .doesNotContain(tckn)
        .doesNotContain(phone.value().substring(3))
        .doesNotContain(subject);
  }

  @Test
  void theLogShowsNoCodeIdPhoneOrPerson() {
    int from = LogCapture.lines().size();
    IssuedChallenge challenge = issue();
    String code = code();
    verify(challenge, wrong(code));
    verify(challenge, code);
    IssuedChallenge burned = issue();
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      verify(burned, wrong(code()));
    }

    List<String> lines = LogCapture.lines().subList(from, LogCapture.lines().size());
    List<String> ours = lines.stream().filter(line -> line.contains(ChallengeService.class.getName())).toList();
    assertThat(ours).anyMatch(line -> line.contains(challenge.challengeId().substring(0, 6)))
        .anyMatch(line -> line.contains("burned"));
    String national = phone.value().substring(3);
    for (String line : lines) {
      assertThat(line)
          .doesNotContain(challenge.challengeId())
          .doesNotContain(burned.challengeId())
          .doesNotContain(national)
          .doesNotContain(subject.substring("TCKN:".length()))
          .doesNotContain("code: " + code);
      assertThat(line.contains(ChallengeService.class.getName()) && line.contains(code)).as(line).isFalse();
    }
  }

  @Test
  void aFailedSmsWithdrawsTheChallenge() {
    ChallengeService failing = new ChallengeService(redis.redis(), redis.prefix(),
        TestRedis.citizenConfig(300, MAX_ATTEMPTS, 6, 3, 60, 600),
        (to, text) -> Future.failedFuture(new IllegalStateException("provider down")), protector, Clock.systemUTC());
    List<String> before = redis.keys();

    Throwable failure = Await.failure(failing.issue(subject, phone));

    assertThat(failure).isInstanceOf(ChallengeUnavailable.class);
    assertThat(((ChallengeUnavailable) failure).dependency()).isEqualTo(ChallengeUnavailable.Dependency.SMS);
    assertThat(redis.keys()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void anUnreachableRedisIsUnavailableNotAnOutcome() {
    try (TestRedis nowhere = new TestRedis("redis://127.0.0.1:1")) {
      ChallengeService down = new ChallengeService(nowhere.redis(), nowhere.prefix(),
          TestRedis.citizenConfig(300, MAX_ATTEMPTS, 6, 3, 60, 600), sms, protector, Clock.systemUTC());
      assertThat(Await.failure(down.issue(subject, phone))).isInstanceOfSatisfying(ChallengeUnavailable.class,
          e -> assertThat(e.dependency()).isEqualTo(ChallengeUnavailable.Dependency.STORE));
      assertThat(Await.failure(down.verify("AAAAAAAAAAAAAAAAAAAAAA", "123456", subject, phone)))
          .isInstanceOf(ChallengeUnavailable.class);
    }
  }
}
