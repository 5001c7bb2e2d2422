package istanbul.hes.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import istanbul.hes.http.Problem;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Verifies bearer tokens (JWT) of one identity provider and turns their claims into a principal.
 * Only the configured algorithm and key are accepted (no "none", no HMAC with the public key as
 * secret), issuer and audience must match, and exp and iat are required, with a bounded lifetime.
 * Any failure is the same 401: a caller learns nothing about why, and the token is never logged.
 *
 * <p>A signature check is CPU work (an ES256 verify costs about 1.5 ms on this JVM, more than the
 * rest of a request), so it runs on a worker thread, never on the event loop, and a verified
 * token is remembered until its expiry in a bounded cache: a client sends the same token with every
 * request of a session. A cached entry is exactly as trustworthy as the check that put it there
 * (the token string is the key, byte for byte), and it is dropped when the token expires.
 *
 * @param <P> what a valid token speaks for
 */
public final class BearerTokenVerifier<P> {
  private static final String BEARER = "Bearer ";

  private final Vertx vertx;
  private final JWTAuth jwt;
  private final TokenSettings settings;
  private final Function<JsonObject, P> principal;
  private final Map<String, Verified<P>> verified;
  private final int cacheEntries;

  /** A token that passed, and until when (epoch seconds, leeway included) it may be used. */
  private record Verified<P>(P principal, long usableUntil) {}

  private BearerTokenVerifier(Vertx vertx, JWTAuth jwt, TokenSettings settings, int cacheEntries,
      Function<JsonObject, P> principal) {
    this.vertx = vertx;
    this.jwt = jwt;
    this.settings = settings;
    this.principal = principal;
    this.cacheEntries = cacheEntries;
    this.verified = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Verified<P>> eldest) {
        return size() > cacheEntries;
      }
    });
  }

  /**
   * @param cacheEntries verified tokens remembered (0: every request is verified)
   * @param principal the principal of a signed token's claims (exp and iat already checked), or
   *     null when the claims do not name one: such a token is refused like a forged one
   */
  public static <P> BearerTokenVerifier<P> create(Vertx vertx, TokenSettings settings, int cacheEntries,
      Function<JsonObject, P> principal) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(settings.algorithm()).setBuffer(settings.publicKeyPem()))
        .setJWTOptions(new JWTOptions()
            .setIssuer(settings.issuer())
            .setAudience(List.of(settings.audience()))
            .setLeeway(settings.leewaySeconds()));
    return new BearerTokenVerifier<>(vertx, JWTAuth.create(vertx, options), settings, cacheEntries, principal);
  }

  /** The principal of a valid {@code Authorization: Bearer <jwt>} header; otherwise a 401 problem. */
  public Future<P> verify(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Future.failedFuture(Problem.unauthorized().exception());
    }
    String token = authorization.substring(BEARER.length()).trim();
    Verified<P> known = cacheEntries == 0 ? null : verified.get(token);
    if (known != null) {
      if (Instant.now().getEpochSecond() < known.usableUntil()) {
        return Future.succeededFuture(known.principal());
      }
      verified.remove(token);
    }
    // Not ordered: independent tokens are checked on as many workers as are free.
    return vertx.executeBlocking(() -> check(token), false)
        .transform(result -> result.succeeded() && result.result() != null
            ? Future.succeededFuture(result.result())
            : Future.failedFuture(Problem.unauthorized().exception()));
  }

  /** On a worker: the signature and claims; null when the token is not acceptable. */
  private P check(String token) {
    JsonObject claims;
    try {
      // The JWT provider checks synchronously: the future is complete when it returns.
      claims = jwt.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture().join()
          .attributes().getJsonObject("accessToken", new JsonObject());
    } catch (RuntimeException refused) {
      return null;
    }
    // Vert.x keeps the decoded claims (exp and iat included) under the accessToken attribute.
    Long issuedAt = claims.getLong("iat");
    Long expires = claims.getLong("exp");
    if (issuedAt == null || expires == null || expires - issuedAt > settings.maxLifetimeSeconds()) {
      return null;
    }
    P accepted;
    try {
      accepted = principal.apply(claims);
    } catch (RuntimeException notAPrincipal) {
      // A signed token whose claims name no one: the provider is misconfigured, not the caller.
      return null;
    }
    if (accepted != null && cacheEntries > 0) {
      verified.put(token, new Verified<>(accepted, expires + settings.leewaySeconds()));
    }
    return accepted;
  }
}
