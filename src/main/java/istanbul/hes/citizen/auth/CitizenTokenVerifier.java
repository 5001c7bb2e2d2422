package istanbul.hes.citizen.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import istanbul.hes.citizen.domain.InvalidInputException;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.http.Problem;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies the citizens' bearer tokens. Only the configured algorithm and key are accepted (no
 * "none", no HMAC with the public key as secret), issuer and audience must match, and exp and iat
 * are required, with a bounded lifetime. Any failure is the same 401: a caller learns nothing
 * about why, and the token is never logged.
 *
 * <p>A signature check is CPU work (an ES256 verify costs about 1.5 ms on this JVM, more than the
 * rest of a request), so it runs on a worker thread, never on the event loop, and a verified
 * token is remembered until its expiry in a bounded cache: an app sends the same token with every
 * request of a session. A cached entry is exactly as trustworthy as the check that put it there
 * (the token string is the key, byte for byte), and it is dropped when the token expires.
 */
public final class CitizenTokenVerifier {
  private static final String BEARER = "Bearer ";

  private final Vertx vertx;
  private final JWTAuth jwt;
  private final TokenSettings settings;
  private final Map<String, Verified> verified;
  private final int cacheEntries;

  /** A token that passed, and until when (epoch seconds, leeway included) it may be used. */
  private record Verified(CitizenPrincipal principal, long usableUntil) {}

  private CitizenTokenVerifier(Vertx vertx, JWTAuth jwt, TokenSettings settings, int cacheEntries) {
    this.vertx = vertx;
    this.jwt = jwt;
    this.settings = settings;
    this.cacheEntries = cacheEntries;
    this.verified = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
        return size() > cacheEntries;
      }
    });
  }

  public static CitizenTokenVerifier create(Vertx vertx, TokenSettings settings) {
    return create(vertx, settings, 10_000);
  }

  /** @param cacheEntries verified tokens remembered (0: every request is verified) */
  public static CitizenTokenVerifier create(Vertx vertx, TokenSettings settings, int cacheEntries) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(settings.algorithm()).setBuffer(settings.publicKeyPem()))
        .setJWTOptions(new JWTOptions()
            .setIssuer(settings.issuer())
            .setAudience(List.of(settings.audience()))
            .setLeeway(settings.leewaySeconds()));
    return new CitizenTokenVerifier(vertx, JWTAuth.create(vertx, options), settings, cacheEntries);
  }

  /** The principal of a valid {@code Authorization: Bearer <jwt>} header; otherwise a 401 problem. */
  public Future<CitizenPrincipal> verify(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Future.failedFuture(Problem.unauthorized().exception());
    }
    String token = authorization.substring(BEARER.length()).trim();
    Verified known = cacheEntries == 0 ? null : verified.get(token);
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
  private CitizenPrincipal check(String token) {
    JsonObject claims;
    try {
      // The JWT provider checks synchronously: the future is complete when it returns.
      claims = jwt.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture().join()
          .attributes().getJsonObject("accessToken", new JsonObject());
    } catch (RuntimeException refused) {
      return null;
    }
    // Vert.x keeps the decoded claims (exp and iat included) under the accessToken attribute.
    String subject = claims.getString("sub");
    Long issuedAt = claims.getLong("iat");
    Long expires = claims.getLong("exp");
    if (subject == null || subject.isBlank() || issuedAt == null || expires == null
        || expires - issuedAt > settings.maxLifetimeSeconds()) {
      return null;
    }
    CitizenPrincipal principal;
    try {
      principal = new CitizenPrincipal(PersonIdentity.fromKeyName(subject, "sub"));
    } catch (InvalidInputException notAnIdentity) {
      // A signed token whose subject is no identity: the provider is misconfigured, not the person.
      return null;
    }
    if (cacheEntries > 0) {
      verified.put(token, new Verified(principal, expires + settings.leewaySeconds()));
    }
    return principal;
  }
}
