package istanbul.hes.citizen.store;

import istanbul.hes.ministry.health.HealthStatus;
import istanbul.hes.ministry.health.HesCheck;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Ministry of Health said of a HES code: its holder's status and the code's expiry
 * (empty: never expires, stored as {@link #NO_EXPIRY} because hes_links.expires_on is NOT NULL).
 */
public record MinistryVerdict(HealthStatus status, Optional<LocalDate> expiresOn) {
  /** The date stored for a code that never expires (as the demo population does). */
  public static final LocalDate NO_EXPIRY = LocalDate.of(9999, 12, 31);

  public MinistryVerdict {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(expiresOn, "expiresOn");
  }

  public static MinistryVerdict of(HesCheck check) {
    return new MinistryVerdict(check.status(), check.expiresOn());
  }

  public static MinistryVerdict riskless(LocalDate expiresOn) {
    return new MinistryVerdict(HealthStatus.RISKLESS, Optional.of(expiresOn));
  }

  public static MinistryVerdict risky(LocalDate expiresOn) {
    return new MinistryVerdict(HealthStatus.RISKY, Optional.of(expiresOn));
  }

  LocalDate storedExpiry() {
    return expiresOn.orElse(NO_EXPIRY);
  }

  static Optional<LocalDate> fromStored(LocalDate stored) {
    return stored == null || stored.getYear() >= HesCheck.NO_EXPIRY_FROM_YEAR ? Optional.empty() : Optional.of(stored);
  }
}
