package istanbul.hes.citizen.store;

import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.HesCode;
import java.time.Instant;

/**
 * A linked HES code claimed for a re-check: its card, the code (personal data, decrypted for the
 * ministry call only), and when it was checked before the claim (restored if the ministry gives no
 * answer).
 */
public record DueLink(long card, HesCode code, Instant previousCheck) {
  @Override
  public String toString() {
    return "DueLink[" + CardNumber.masked(card) + ", " + code + "]";
  }
}
