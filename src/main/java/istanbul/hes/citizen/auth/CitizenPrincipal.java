package istanbul.hes.citizen.auth;

/**
 * The person a citizen token speaks for. {@code subject} is the identity key the portal's identity
 * provider puts in {@code sub} ("TCKN:<11 digits>" or "PASSPORT:<NAT>:<number>"): personal data,
 * so it is never printed.
 */
public record CitizenPrincipal(String subject) {
  @Override
  public String toString() {
    return "CitizenPrincipal[***]";
  }
}
