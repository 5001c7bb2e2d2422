package istanbul.hes.delta;

import istanbul.hes.citizen.domain.PersonIdentity;
import java.util.Objects;

/**
 * One risk delta of the Ministry of Health's feed, parsed: its sequence number, the person (a
 * TCKN, or a passport with its nationality) and whether they are now risky. Personal data:
 * {@link #toString()} shows the sequence number only.
 */
public record RiskDelta(long seq, PersonIdentity identity, boolean risky) {
  public RiskDelta {
    Objects.requireNonNull(identity, "identity");
    if (seq < 1) {
      throw new IllegalArgumentException("sequence numbers start at 1");
    }
  }

  @Override
  public String toString() {
    return "RiskDelta[" + seq + (risky ? ", RISKY" : ", CLEARED") + "]";
  }
}
