package istanbul.hes.citizen.auth;

import istanbul.hes.citizen.domain.PersonIdentity;
import java.util.Objects;

/**
 * The person a citizen token speaks for: the identity the portal's identity provider puts in
 * {@code sub} ("TCKN:<11 digits>" or "PASSPORT:<NAT>:<number>", parsed strictly). Personal data,
 * so it is never printed.
 */
public record CitizenPrincipal(PersonIdentity identity) {
  public CitizenPrincipal {
    Objects.requireNonNull(identity, "identity");
  }

  /** The identity key (the token's {@code sub}): the key of the person's rate limits and challenges. */
  public String subject() {
    return identity.keyName();
  }

  @Override
  public String toString() {
    return "CitizenPrincipal[***]";
  }
}
