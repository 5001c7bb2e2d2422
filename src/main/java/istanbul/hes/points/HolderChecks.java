package istanbul.hes.points;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import istanbul.hes.citizen.challenge.ChallengeOutcome;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.citizen.challenge.ChallengeUnavailable;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.citizen.redis.LuaScript;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.identity.IdentityProtector;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Holder checks and holder sessions, in Redis.
 *
 * <p>A check ({@code <prefix>holder-check:<id>}) is a verification challenge of the citizens'
 * challenge service (the same code, TTL and attempt limit; its id is the check's id) sent to the
 * holder's phone, plus what it is for: the card, the person (encrypted), the phone (encrypted),
 * and the agent and point that started it. It lives as long as its challenge.
 *
 * <p>The right code, read out by the holder and sent by the same agent, turns it into a session
 * ({@code <prefix>holder-session:<HMAC of the token>}) of {@code points.holderSessionSeconds}: the
 * token is random, given to the agent once, and Redis holds only its keyed hash, so a copy of Redis
 * cannot act for anyone. A session is bound to its agent, point, person and card.
 */
final class HolderChecks {
  private static final String SESSION_PURPOSE = "holder-session";
  private static final Pattern CHECK_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final Pattern SESSION_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final int SESSION_BYTES = 32;

  /** KEYS[1]; ARGV[1] TTL in ms, then field, value pairs. */
  private static final LuaScript PUT = new LuaScript("""
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      return 1
      """);

  private final Redis redis;
  private final String keyPrefix;
  private final ChallengeService challenges;
  private final IdentityProtector protector;
  private final Clock clock;
  private final int sessionSeconds;
  private final SecureRandom random = new SecureRandom();

  HolderChecks(Redis redis, String keyPrefix, ChallengeService challenges, IdentityProtector protector, Clock clock,
      int sessionSeconds) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.challenges = challenges;
    this.protector = protector;
    this.clock = clock;
    this.sessionSeconds = sessionSeconds;
  }

  /** A started check: the id the confirmation names, and until when the code is valid. */
  record Started(String checkId, Instant expiresAt) {}

  /** A confirmed check's session: the token the agent sends as {@code Holder-Session}, and its end. */
  record Opened(String token, Instant expiresAt, HolderSession session) {}

  /** Sends a code to {@code phone} and keeps what the check is for until the code expires. */
  Future<Started> start(AgentPrincipal agent, long card, PersonIdentity identity, PhoneNumber phone) {
    return challenges.issue(subject(card, identity), phone).compose(issued -> {
      long ttl = Math.max(1, issued.expiresAt().toEpochMilli() - clock.millis());
      return put(checkKey(issued.challengeId()), ttl, new HolderSession(card, identity, phone, agent.agentId(), agent.pointId()))
          .map(stored -> new Started(issued.challengeId(), issued.expiresAt()));
    });
  }

  /**
   * The holder's code for a check this agent started: a session, or 422 CHALLENGE_FAILED (wrong,
   * expired, unknown or used up; a check spent by too many wrong codes is gone), or 403 when
   * another agent or point started the check.
   */
  Future<Opened> confirm(AgentPrincipal agent, String checkId, String code) {
    if (checkId == null || !CHECK_ID.matcher(checkId).matches()) {
      return Future.failedFuture(checkFailed());
    }
    String key = checkKey(checkId);
    return read(key).compose(found -> {
      if (found == null) {
        return Future.failedFuture(checkFailed());
      }
      if (!found.agentId().equals(agent.agentId()) || !found.pointId().equals(agent.pointId())) {
        return Future.failedFuture(Problem.of(ProblemCode.HOLDER_SESSION_MISMATCH,
            "the check was started by another agent or at another point").exception());
      }
      return challenges.verify(checkId, code, subject(found.card(), found.identity()), found.phone()).compose(outcome -> {
        if (outcome != ChallengeOutcome.VERIFIED) {
          Future<Void> cleared = outcome == ChallengeOutcome.WRONG_CODE ? Future.succeededFuture() : delete(key);
          return cleared.transform(ignored -> Future.<Opened>failedFuture(checkFailed()));
        }
        String token = newToken();
        Instant expiresAt = clock.instant().plusSeconds(sessionSeconds).truncatedTo(ChronoUnit.SECONDS);
        return put(sessionKey(token), sessionSeconds * 1000L, found)
            .compose(stored -> delete(key))
            .map(deleted -> new Opened(token, expiresAt, found));
      });
    });
  }

  /**
   * The session behind a {@code Holder-Session} header, for this agent at this point; 403
   * HOLDER_CHECK_REQUIRED when there is none (absent, malformed, expired, ended), 403
   * HOLDER_SESSION_MISMATCH when it is another agent's.
   */
  Future<HolderSession> session(AgentPrincipal agent, String token) {
    if (token == null || !SESSION_TOKEN.matcher(token).matches()) {
      return Future.failedFuture(sessionRequired());
    }
    return read(sessionKey(token)).compose(session -> {
      if (session == null) {
        return Future.failedFuture(sessionRequired());
      }
      if (!session.agentId().equals(agent.agentId()) || !session.pointId().equals(agent.pointId())) {
        return Future.failedFuture(Problem.of(ProblemCode.HOLDER_SESSION_MISMATCH,
            "the holder session belongs to another agent or point").exception());
      }
      return Future.succeededFuture(session);
    });
  }

  /** Ends a session before its time (the holder has left the counter). */
  Future<Void> end(String token) {
    return token == null || !SESSION_TOKEN.matcher(token).matches() ? Future.succeededFuture() : delete(sessionKey(token));
  }

  private Future<Void> put(String key, long ttlMillis, HolderSession session) {
    List<String> arguments = List.of(Long.toString(ttlMillis),
        "card", Long.toString(session.card()),
        "agent", session.agentId(),
        "point", session.pointId(),
        "identity", sealed(session.identity().keyName()),
        "phone", sealed(session.phone().value()));
    return PUT.run(redis, List.of(key), arguments).recover(this::storeFailed).mapEmpty();
  }

  private Future<HolderSession> read(String key) {
    return redis.send(Request.cmd(Command.HGETALL).arg(key)).recover(this::storeFailed).map(reply -> {
      if (reply == null || reply.size() == 0) {
        return null;
      }
      return new HolderSession(Long.parseLong(text(reply, "card")),
          PersonIdentity.fromKeyName(protector.decrypt(Base64.getDecoder().decode(text(reply, "identity"))), "identity"),
          PhoneNumber.parse(protector.decrypt(Base64.getDecoder().decode(text(reply, "phone"))), "phone"),
          text(reply, "agent"), text(reply, "point"));
    });
  }

  private static String text(Response hash, String field) {
    Response value = hash.get(field);
    if (value == null) {
      throw new IllegalStateException("a holder record in Redis lacks its " + field);
    }
    return value.toString();
  }

  private Future<Void> delete(String key) {
    return redis.send(Request.cmd(Command.DEL).arg(key)).recover(this::storeFailed).mapEmpty();
  }

  private <T> Future<T> storeFailed(Throwable error) {
    return Future.failedFuture(new ChallengeUnavailable(ChallengeUnavailable.Dependency.STORE,
        "the holder check store (Redis) failed", error));
  }

  private String sealed(String value) {
    return Base64.getEncoder().encodeToString(protector.encrypt(value));
  }

  /** What the challenge is bound to: this card and this person (hashed by the challenge service). */
  private static String subject(long card, PersonIdentity identity) {
    return "HOLDER:" + card + ":" + identity.keyName();
  }

  private String checkKey(String checkId) {
    return keyPrefix + "holder-check:" + checkId;
  }

  private String sessionKey(String token) {
    return keyPrefix + "holder-session:"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(protector.hash(SESSION_PURPOSE, token));
  }

  private String newToken() {
    byte[] bytes = new byte[SESSION_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static RuntimeException checkFailed() {
    return Problem.of(ProblemCode.CHALLENGE_FAILED,
        "the check is unknown, expired, used up, or the code is wrong; start a new check if it is gone").exception();
  }

  private static RuntimeException sessionRequired() {
    return Problem.of(ProblemCode.HOLDER_CHECK_REQUIRED,
        "start a holder check and confirm it with the code sent to the holder's phone; send its holderSession "
            + "as the Holder-Session header").exception();
  }
}
