package istanbul.hes.ministry.health;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The ministry's answer for one valid HES code, as sent: the identity data is masked by the
 * ministry (identity number: last 3 digits; names: first 2 letters), so "the code belongs to the
 * caller" means the visible characters agree. {@code expiresOn} is empty when the code never
 * expires (the ministry sends a far-future date). {@link #toString()} shows no personal data.
 */
public record HesCheck(
    String hesCode,
    HealthStatus status,
    String maskedIdentityNumber,
    String maskedFirstName,
    String maskedLastName,
    Optional<LocalDate> expiresOn) {

  /** Expiry dates in this year or later mean "no expiry". */
  public static final int NO_EXPIRY_FROM_YEAR = 9000;

  public HesCheck {
    Objects.requireNonNull(hesCode, "hesCode");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(maskedIdentityNumber, "maskedIdentityNumber");
    Objects.requireNonNull(maskedFirstName, "maskedFirstName");
    Objects.requireNonNull(maskedLastName, "maskedLastName");
    Objects.requireNonNull(expiresOn, "expiresOn");
  }

  public boolean risky() {
    return status == HealthStatus.RISKY;
  }

  @Override
  public String toString() {
    return "HesCheck[hesCode=" + HesCodes.mask(hesCode) + ", status=" + status
        + ", expiresOn=" + expiresOn.map(LocalDate::toString).orElse("never") + "]";
  }
}
