package istanbul.hes.auth;

import java.util.Objects;

/**
 * What a citizen token must carry to be accepted: pinned issuer, audience and algorithm, and the
 * identity provider's public key (PEM). No private key: the gateway only verifies.
 *
 * @param leewaySeconds clock skew tolerated on exp/nbf/iat
 * @param maxLifetimeSeconds longest exp - iat accepted, so a leaked long-lived token is refused
 */
public record TokenSettings(
    String issuer, String audience, String algorithm, String publicKeyPem, int leewaySeconds, int maxLifetimeSeconds) {
  public TokenSettings {
    Objects.requireNonNull(issuer);
    Objects.requireNonNull(audience);
    if (!algorithm.equals("ES256") && !algorithm.equals("RS256")) {
      throw new IllegalArgumentException("algorithm must be ES256 or RS256");
    }
    if (!publicKeyPem.contains("BEGIN PUBLIC KEY")) {
      throw new IllegalArgumentException("the public key must be a PEM public key");
    }
  }

  @Override
  public String toString() {
    return "TokenSettings[issuer=" + issuer + ", audience=" + audience + ", algorithm=" + algorithm + "]";
  }
}
