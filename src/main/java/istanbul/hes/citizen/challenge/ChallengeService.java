package istanbul.hes.citizen.challenge;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import istanbul.hes.citizen.challenge.ChallengeUnavailable.Dependency;
import istanbul.hes.citizen.challenge.sms.SmsGateway;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.citizen.redis.LuaScript;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification challenges ({@code POST /v1/challenges}): a numeric code sent by SMS that proves
 * the caller holds a phone, for a limited time and a limited number of answers.
 *
 * <p>Each challenge is one Redis hash, {@code <prefix>challenge:<id>}, living
 * {@code citizen.challengeTtlSeconds}:
 * <pre>
 * code     = HMAC("challenge-code",    id ":" code)     the code never in clear
 * subject  = HMAC("challenge-subject", id ":" subject)  the person it was issued to
 * phone    = HMAC("challenge-phone",   id ":" E.164)    the phone it was sent to
 * attempts = wrong answers so far
 * </pre>
 * The HMAC key never reaches Redis, so its contents (a dump, a replica) do not give the code away,
 * even though a 6-digit code alone could be found by trying all of them against a plain hash;
 * salting with the id keeps equal values of two challenges apart.
 *
 * <p>{@link #verify} is one Lua script, atomic in Redis: the right code for the same person and
 * phone deletes the challenge (single use, so of 20 concurrent right answers exactly one wins);
 * anything else spends an attempt, and the attempt reaching {@code citizen.challengeMaxAttempts}
 * deletes it. Logs show the first characters of the id only; never the code, the phone or the
 * person.
 */
public final class ChallengeService {
  public static final String SMS_TEXT_PREFIX = "HES gateway verification code: ";
  static final String CODE_PURPOSE = "challenge-code";
  static final String SUBJECT_PURPOSE = "challenge-subject";
  static final String PHONE_PURPOSE = "challenge-phone";
  private static final int ID_BYTES = 16;
  private static final Pattern ID_FORM = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final Logger LOG = LoggerFactory.getLogger(ChallengeService.class);

  /** KEYS[1] the challenge; ARGV code, subject, phone hashes, TTL in ms. Replaces nothing: fails on an existing id. */
  private static final LuaScript ISSUE = new LuaScript("""
      if redis.call('EXISTS', KEYS[1]) == 1 then
        return 0
      end
      redis.call('HSET', KEYS[1], 'code', ARGV[1], 'subject', ARGV[2], 'phone', ARGV[3], 'attempts', 0)
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      return 1
      """);

  /**
   * KEYS[1] the challenge; ARGV code, subject, phone hashes, max attempts. Returns
   * {outcome, attempts}.
   */
  private static final LuaScript VERIFY = new LuaScript("""
      local stored = redis.call('HMGET', KEYS[1], 'code', 'subject', 'phone')
      if not stored[1] then
        return {'EXPIRED_OR_UNKNOWN', 0}
      end
      if stored[1] == ARGV[1] and stored[2] == ARGV[2] and stored[3] == ARGV[3] then
        redis.call('DEL', KEYS[1])
        return {'VERIFIED', 0}
      end
      local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
      if attempts >= tonumber(ARGV[4]) then
        redis.call('DEL', KEYS[1])
        return {'BURNED', attempts}
      end
      return {'WRONG_CODE', attempts}
      """);

  private final Redis redis;
  private final String keyPrefix;
  private final CitizenConfig config;
  private final SmsGateway sms;
  private final IdentityProtector protector;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final long codeBound;
  private final DependencyFailures failures;
  /** A Redis outage fails every challenge: one line per operation per interval, not one per request. */
  private final ThrottledLog outageLog;

  /**
   * @param keyPrefix {@code redis.keyPrefix}, e.g. {@code "hes:"}
   * @param clock for {@code expiresAt} only; Redis expires the challenge itself
   */
  public ChallengeService(Redis redis, String keyPrefix, CitizenConfig config, SmsGateway sms,
      IdentityProtector protector, Clock clock) {
    this(redis, keyPrefix, config, sms, protector, clock, DependencyFailures.standalone());
  }

  /** @param failures counts Redis failures; its interval spaces this service's warnings about them */
  public ChallengeService(Redis redis, String keyPrefix, CitizenConfig config, SmsGateway sms,
      IdentityProtector protector, Clock clock, DependencyFailures failures) {
    this.failures = Objects.requireNonNull(failures, "failures");
    this.outageLog = failures.throttled(LOG);
    this.redis = Objects.requireNonNull(redis, "redis");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    this.config = Objects.requireNonNull(config, "config");
    this.sms = Objects.requireNonNull(sms, "sms");
    this.protector = Objects.requireNonNull(protector, "protector");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (config.challengeCodeDigits() < 4 || config.challengeCodeDigits() > 18) {
      throw new IllegalArgumentException("challengeCodeDigits must be 4..18");
    }
    if (config.challengeTtlSeconds() < 1 || config.challengeMaxAttempts() < 1) {
      throw new IllegalArgumentException("challengeTtlSeconds and challengeMaxAttempts must be positive");
    }
    long bound = 1;
    for (int i = 0; i < config.challengeCodeDigits(); i++) {
      bound *= 10;
    }
    this.codeBound = bound;
  }

  /**
   * Issues a challenge to the person {@code subjectKey} (the token's subject, e.g.
   * {@code "TCKN:…"}) and sends its code to {@code phone}. Fails with {@link ChallengeUnavailable}
   * when Redis or the SMS gateway does; a challenge whose SMS failed is deleted again.
   */
  public Future<IssuedChallenge> issue(String subjectKey, PhoneNumber phone) {
    Objects.requireNonNull(subjectKey, "subjectKey");
    Objects.requireNonNull(phone, "phone");
    String id = newId();
    String code = newCode();
    Instant expiresAt = clock.instant().plusSeconds(config.challengeTtlSeconds()).truncatedTo(ChronoUnit.SECONDS);
    List<String> arguments = List.of(
        hash(CODE_PURPOSE, id, code),
        hash(SUBJECT_PURPOSE, id, subjectKey),
        hash(PHONE_PURPOSE, id, phone.value()),
        Long.toString(config.challengeTtlSeconds() * 1000L));
    String key = key(id);
    return ISSUE.run(redis, List.of(key), arguments)
        .recover(error -> Future.failedFuture(storeFailure("issue", id, error)))
        .compose(created -> {
          if (created == null || created.toInteger() != 1) {
            // 128 random bits never collide in practice; if they do, say so rather than overwrite.
            return Future.failedFuture(new ChallengeUnavailable(Dependency.STORE, "challenge id collision", null));
          }
          return sms.send(phone, SMS_TEXT_PREFIX + code)
              .recover(error -> {
                LOG.warn("challenge {}: the SMS was not sent, challenge withdrawn", mask(id));
                return redis.send(Request.cmd(Command.DEL).arg(key))
                    .<Void>transform(ignored -> Future.failedFuture(
                        new ChallengeUnavailable(Dependency.SMS, "the SMS gateway did not accept the code", error)));
              });
        })
        .map(sent -> {
          LOG.info("challenge {} issued, expires at {}", mask(id), expiresAt);
          return new IssuedChallenge(id, expiresAt);
        });
  }

  /**
   * Checks an answer: the code, for the same person and phone the challenge was issued to. Input
   * is taken as it comes (the HTTP layer validates shapes): a malformed id is
   * {@link ChallengeOutcome#EXPIRED_OR_UNKNOWN} without asking Redis, a malformed code a wrong
   * answer. Fails with {@link ChallengeUnavailable} only when Redis does.
   */
  public Future<ChallengeOutcome> verify(String challengeId, String code, String subjectKey, PhoneNumber phone) {
    if (challengeId == null || !ID_FORM.matcher(challengeId).matches()) {
      return Future.succeededFuture(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
    }
    List<String> arguments = List.of(
        hash(CODE_PURPOSE, challengeId, code == null ? "" : code),
        hash(SUBJECT_PURPOSE, challengeId, subjectKey == null ? "" : subjectKey),
        hash(PHONE_PURPOSE, challengeId, phone == null ? "" : phone.value()),
        Integer.toString(config.challengeMaxAttempts()));
    return VERIFY.run(redis, List.of(key(challengeId)), arguments)
        .recover(error -> Future.failedFuture(storeFailure("verify", challengeId, error)))
        .map(reply -> {
          ChallengeOutcome outcome = ChallengeOutcome.valueOf(reply.get(0).toString());
          switch (outcome) {
            case VERIFIED -> LOG.info("challenge {} verified", mask(challengeId));
            case WRONG_CODE -> LOG.info("challenge {}: wrong answer {} of {}", mask(challengeId),
                reply.get(1).toInteger(), config.challengeMaxAttempts());
            case BURNED -> LOG.warn("challenge {} burned after {} wrong answers", mask(challengeId), reply.get(1).toInteger());
            case EXPIRED_OR_UNKNOWN -> LOG.info("challenge {} unknown or expired", mask(challengeId));
          }
          return outcome;
        });
  }

  /** The Redis key of a challenge. */
  public String key(String challengeId) {
    return keyPrefix + "challenge:" + challengeId;
  }

  /** The first 6 characters of an id and an ellipsis: enough to follow one challenge through the log. */
  static String mask(String challengeId) {
    return challengeId == null || challengeId.length() <= 6 ? "…" : challengeId.substring(0, 6) + "…";
  }

  private ChallengeUnavailable storeFailure(String operation, String id, Throwable error) {
    failures.count(DependencyFailures.Dependency.REDIS, "challenge_" + operation);
    outageLog.warn(operation, "challenge {}: {} failed, Redis: {}", mask(id), operation, DependencyFailures.summary(error));
    return new ChallengeUnavailable(Dependency.STORE, "the challenge store (Redis) failed", error);
  }

  private String hash(String purpose, String challengeId, String value) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(protector.hash(purpose, challengeId + ":" + value));
  }

  private String newId() {
    byte[] bytes = new byte[ID_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private String newCode() {
    long value = random.nextLong(codeBound);
    String digits = Long.toString(value);
    return "0".repeat(config.challengeCodeDigits() - digits.length()) + digits;
  }
}
