package istanbul.hes.citizen.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import istanbul.hes.auth.BearerTokenVerifier;
import istanbul.hes.auth.TokenSettings;
import istanbul.hes.citizen.domain.PersonIdentity;

/**
 * Verifies the citizens' bearer tokens (see {@link BearerTokenVerifier}): the subject must be a
 * person's identity ("TCKN:…" or "PASSPORT:NAT:…", parsed strictly).
 */
public final class CitizenTokenVerifier {
  private final BearerTokenVerifier<CitizenPrincipal> tokens;

  private CitizenTokenVerifier(BearerTokenVerifier<CitizenPrincipal> tokens) {
    this.tokens = tokens;
  }

  public static CitizenTokenVerifier create(Vertx vertx, TokenSettings settings) {
    return create(vertx, settings, 10_000);
  }

  /** @param cacheEntries verified tokens remembered (0: every request is verified) */
  public static CitizenTokenVerifier create(Vertx vertx, TokenSettings settings, int cacheEntries) {
    return new CitizenTokenVerifier(BearerTokenVerifier.create(vertx, settings, cacheEntries, CitizenTokenVerifier::principal));
  }

  /** The principal of a valid {@code Authorization: Bearer <jwt>} header; otherwise a 401 problem. */
  public Future<CitizenPrincipal> verify(String authorization) {
    return tokens.verify(authorization);
  }

  private static CitizenPrincipal principal(JsonObject claims) {
    String subject = claims.getString("sub");
    return subject == null || subject.isBlank() ? null : new CitizenPrincipal(PersonIdentity.fromKeyName(subject, "sub"));
  }
}
