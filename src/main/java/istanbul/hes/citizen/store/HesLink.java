package istanbul.hes.citizen.store;

import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.ministry.health.HealthStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The HES code linked to a card, as the citizen may see it: masked ({@code A1B2-****-**}), the
 * ministry's last status of its holder, when it was linked and last checked, and its expiry
 * (empty: never).
 */
public record HesLink(
    long card,
    String maskedHesCode,
    HealthStatus ministryStatus,
    Instant linkedAt,
    Optional<LocalDate> expiresOn,
    Instant checkedAt) {

  static String mask(String prefix) {
    return prefix + "-****-**";
  }

  @Override
  public String toString() {
    return "HesLink[" + CardNumber.masked(card) + ", " + maskedHesCode + ", " + ministryStatus + "]";
  }
}
