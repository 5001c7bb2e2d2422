package istanbul.hes.simulator.health;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One HES code the simulated ministry knows: whose it is (identity number, a TCKN or a
 * nationality+passport, and names, all unmasked: the simulator masks them when it answers),
 * the holder's status, and when the code expires. {@link #toString()} shows no personal data.
 */
public record HesCodeRecord(
    String hesCode,
    String identityNumber,
    String firstName,
    String lastName,
    Status status,
    LocalDateTime expiresAt) {

  /** What the ministry sends for a code that never expires. */
  public static final LocalDateTime NO_EXPIRY = LocalDateTime.of(9999, 12, 31, 0, 0);

  public enum Status {
    RISKY,
    RISKLESS
  }

  public HesCodeRecord {
    Objects.requireNonNull(hesCode, "hesCode");
    Objects.requireNonNull(identityNumber, "identityNumber");
    Objects.requireNonNull(firstName, "firstName");
    Objects.requireNonNull(lastName, "lastName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (hesCode.isBlank() || identityNumber.isBlank()) {
      throw new IllegalArgumentException("a HES code record needs a code and an identity number");
    }
  }

  public HesCodeRecord withStatus(Status newStatus) {
    return new HesCodeRecord(hesCode, identityNumber, firstName, lastName, newStatus, expiresAt);
  }

  public HesCodeRecord withExpiresAt(LocalDateTime newExpiresAt) {
    return new HesCodeRecord(hesCode, identityNumber, firstName, lastName, status, newExpiresAt);
  }

  @Override
  public String toString() {
    String visible = hesCode.length() <= 4 ? "" : hesCode.substring(0, 4);
    return "HesCodeRecord[hesCode=" + visible + "*".repeat(hesCode.length() - visible.length())
        + ", status=" + status + ", expiresAt=" + expiresAt + "]";
  }
}
