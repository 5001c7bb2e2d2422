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
import java.util.function.Supplier;
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
 * <p>An answer is checked by one Lua script, atomic in Redis ({@link #redeem}): the right code for
 * the same person and phone <em>claims</em> the challenge for one write (fields {@code claim}, a
 * random token, and {@code scope}, what the write is for: {@code HMAC("challenge-scope", id ":" scope)});
 * a claimed challenge accepts no other answer, so of 20 concurrent right answers exactly one wins.
 * Anything else spends an attempt, and the attempt reaching {@code citizen.challengeMaxAttempts}
 * deletes it. When the write has committed, or failed for any reason but an outage, the challenge
 * is deleted (used up). When the write failed because PostgreSQL was unavailable (answered 503, to
 * be retried), the claim is released but the scope stays: the same code then works again, within
 * the same TTL and attempts, for a write with the same scope only. Whether a commit whose
 * connection was lost went through is unknown to the caller; pinning the scope means such a
 * retry repeats the same personalization rather than making a second one. A node that stops
 * between claim and release leaves the challenge claimed until its TTL: used up, as before. Logs
 * show the first characters of the id only; never the code, the phone or the person.
 */
public final class ChallengeService {
  public static final String SMS_TEXT_PREFIX = "HES gateway verification code: ";
  static final String CODE_PURPOSE = "challenge-code";
  static final String SUBJECT_PURPOSE = "challenge-subject";
  static final String PHONE_PURPOSE = "challenge-phone";
  static final String SCOPE_PURPOSE = "challenge-scope";
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
   * KEYS[1] the challenge; ARGV code, subject, phone hashes, max attempts, scope hash, claim token.
   * Returns {outcome, attempts}; IN_USE is the right answer to a claimed challenge or to one kept
   * for a write of another scope (spends no attempt).
   */
  private static final LuaScript CLAIM = new LuaScript("""
      local stored = redis.call('HMGET', KEYS[1], 'code', 'subject', 'phone', 'claim', 'scope')
      if not stored[1] then
        return {'EXPIRED_OR_UNKNOWN', 0}
      end
      if stored[1] == ARGV[1] and stored[2] == ARGV[2] and stored[3] == ARGV[3] then
        if stored[4] or (stored[5] and stored[5] ~= ARGV[5]) then
          return {'IN_USE', 0}
        end
        redis.call('HSET', KEYS[1], 'claim', ARGV[6], 'scope', ARGV[5])
        return {'VERIFIED', 0}
      end
      local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
      if attempts >= tonumber(ARGV[4]) then
        redis.call('DEL', KEYS[1])
        return {'BURNED', attempts}
      end
      return {'WRONG_CODE', attempts}
      """);

  /** KEYS[1] the challenge; ARGV[1] the claim token. Deletes the challenge if that claim still holds it. */
  private static final LuaScript CONSUME = new LuaScript("""
      if redis.call('HGET', KEYS[1], 'claim') == ARGV[1] then
        redis.call('DEL', KEYS[1])
        return 1
      end
      return 0
      """);

  /**
   * KEYS[1] the challenge; ARGV[1] the claim token. Drops that claim (the scope, TTL and attempts
   * stay); a challenge burned or expired meanwhile is not brought back.
   */
  private static final LuaScript RELEASE = new LuaScript("""
      if redis.call('HGET', KEYS[1], 'claim') == ARGV[1] then
        redis.call('HDEL', KEYS[1], 'claim')
        return 1
      end
      return 0
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
   * Checks an answer and, if it is right, runs {@code write} with the challenge claimed for it.
   * The challenge is used up once {@code write} succeeds or fails for a reason other than an
   * outage; after an outage ({@link DependencyFailures#outage}) it stays for a retry with the same
   * {@code scope}, and the write's failure is passed on as it is. A wrong, unknown or used answer
   * fails with {@link ChallengeRefused} and {@code write} is not run. Input is taken as it comes
   * (the HTTP layer validates shapes): a malformed id is unknown without asking Redis, a malformed
   * code a wrong answer. Fails with {@link ChallengeUnavailable} when Redis does before the write.
   *
   * @param scope what the write is for (e.g. the card); a retry after an outage must name the same
   */
  public <T> Future<T> redeem(String challengeId, String code, String subjectKey, PhoneNumber phone, String scope,
      Supplier<Future<T>> write) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(write, "write");
    String token = newId();
    return claim(challengeId, code, subjectKey, phone, scope, token).compose(outcome -> {
      if (!outcome.verified()) {
        return Future.failedFuture(new ChallengeRefused(outcome));
      }
      Future<T> written;
      try {
        written = write.get();
      } catch (RuntimeException e) {
        written = Future.failedFuture(e);
      }
      return written.transform(result -> {
        boolean outage = result.failed() && DependencyFailures.outage(result.cause()).isPresent();
        return (outage ? release(challengeId, token) : consume(challengeId, token))
            .transform(settled -> result.succeeded() ? Future.succeededFuture(result.result()) : Future.failedFuture(result.cause()));
      });
    });
  }

  /**
   * Checks an answer and uses the challenge up at once if it is right: {@link #redeem} with
   * nothing to write.
   */
  public Future<ChallengeOutcome> verify(String challengeId, String code, String subjectKey, PhoneNumber phone) {
    return redeem(challengeId, code, subjectKey, phone, "", () -> Future.succeededFuture(ChallengeOutcome.VERIFIED))
        .recover(failure -> failure instanceof ChallengeRefused refused
            ? Future.succeededFuture(refused.outcome())
            : Future.failedFuture(failure));
  }

  private Future<ChallengeOutcome> claim(String challengeId, String code, String subjectKey, PhoneNumber phone,
      String scope, String token) {
    if (challengeId == null || !ID_FORM.matcher(challengeId).matches()) {
      return Future.succeededFuture(ChallengeOutcome.EXPIRED_OR_UNKNOWN);
    }
    List<String> arguments = List.of(
        hash(CODE_PURPOSE, challengeId, code == null ? "" : code),
        hash(SUBJECT_PURPOSE, challengeId, subjectKey == null ? "" : subjectKey),
        hash(PHONE_PURPOSE, challengeId, phone == null ? "" : phone.value()),
        Integer.toString(config.challengeMaxAttempts()),
        hash(SCOPE_PURPOSE, challengeId, scope),
        token);
    return CLAIM.run(redis, List.of(key(challengeId)), arguments)
        .recover(error -> Future.failedFuture(storeFailure("verify", challengeId, error)))
        .map(reply -> {
          String answer = reply.get(0).toString();
          if (answer.equals("IN_USE")) {
            LOG.info("challenge {}: the right code, but the challenge is in use or kept for another write", mask(challengeId));
            return ChallengeOutcome.EXPIRED_OR_UNKNOWN;
          }
          ChallengeOutcome outcome = ChallengeOutcome.valueOf(answer);
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

  /**
   * Uses the claimed challenge up. If Redis fails here the challenge stays claimed, so accepts no
   * answer, until its TTL: the write's answer stands.
   */
  private Future<Void> consume(String challengeId, String token) {
    return CONSUME.run(redis, List.of(key(challengeId)), List.of(token))
        .<Void>mapEmpty()
        .recover(error -> {
          storeFailure("consume", challengeId, error);
          return Future.succeededFuture();
        });
  }

  /** Gives the challenge back for a retry of the same write; if Redis fails here it stays claimed (used up). */
  private Future<Void> release(String challengeId, String token) {
    return RELEASE.run(redis, List.of(key(challengeId)), List.of(token))
        .onSuccess(released -> {
          if (released != null && released.toInteger() == 1) {
            LOG.info("challenge {}: the write failed for an outage, the challenge is kept for its retry", mask(challengeId));
          }
        })
        .<Void>mapEmpty()
        .recover(error -> {
          storeFailure("release", challengeId, error);
          return Future.succeededFuture();
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
