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
import java.util.List;

/**
 * Verifies the citizens' bearer tokens. Only the configured algorithm and key are accepted (no
 * "none", no HMAC with the public key as secret), issuer and audience must match, and exp and iat
 * are required, with a bounded lifetime. Any failure is the same 401: a caller learns nothing
 * about why, and the token is never logged.
 */
public final class CitizenTokenVerifier {
  private static final String BEARER = "Bearer ";

  private final JWTAuth jwt;
  private final TokenSettings settings;

  private CitizenTokenVerifier(JWTAuth jwt, TokenSettings settings) {
    this.jwt = jwt;
    this.settings = settings;
  }

  public static CitizenTokenVerifier create(Vertx vertx, TokenSettings settings) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(settings.algorithm()).setBuffer(settings.publicKeyPem()))
        .setJWTOptions(new JWTOptions()
            .setIssuer(settings.issuer())
            .setAudience(List.of(settings.audience()))
            .setLeeway(settings.leewaySeconds()));
    return new CitizenTokenVerifier(JWTAuth.create(vertx, options), settings);
  }

  /** The principal of a valid {@code Authorization: Bearer <jwt>} header; otherwise a 401 problem. */
  public Future<CitizenPrincipal> verify(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Future.failedFuture(Problem.unauthorized().exception());
    }
    String token = authorization.substring(BEARER.length()).trim();
    return jwt.authenticate(new TokenCredentials(token))
        .transform(result -> {
          if (result.failed()) {
            return Future.failedFuture(Problem.unauthorized().exception());
          }
          // Vert.x keeps the decoded claims (exp and iat included) under the accessToken attribute.
          JsonObject claims = result.result().attributes().getJsonObject("accessToken", new JsonObject());
          String subject = claims.getString("sub");
          Long issuedAt = claims.getLong("iat");
          Long expires = claims.getLong("exp");
          if (subject == null || subject.isBlank() || issuedAt == null || expires == null
              || expires - issuedAt > settings.maxLifetimeSeconds()) {
            return Future.failedFuture(Problem.unauthorized().exception());
          }
          try {
            return Future.succeededFuture(new CitizenPrincipal(PersonIdentity.fromKeyName(subject, "sub")));
          } catch (InvalidInputException notAnIdentity) {
            // A signed token whose subject is no identity: the provider is misconfigured, not the person.
            return Future.failedFuture(Problem.unauthorized().exception());
          }
        });
  }
}
