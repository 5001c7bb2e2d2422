package istanbul.hes.delta;

import istanbul.hes.citizen.domain.PersonIdentity;

/**
 * One risk delta of the Ministry of Health's feed, parsed: its sequence number, the person (a
 * TCKN, or a passport with its nationality; null when the feed sent an identity the gateway
 * cannot read, see {@link #unreadable()}) and whether they are now risky. Such a delta still
 * takes its place in the sequence: it is recorded as rejected, never skipped silently.
 * Personal data: {@link #toString()} shows the sequence number only.
 */
public record RiskDelta(long seq, PersonIdentity identity, boolean risky) {
  public RiskDelta {
    if (seq < 1) {
      throw new IllegalArgumentException("sequence numbers start at 1");
    }
  }

  public boolean unreadable() {
    return identity == null;
  }

  @Override
  public String toString() {
    return "RiskDelta[" + seq + (unreadable() ? ", unreadable identity" : "") + (risky ? ", RISKY" : ", CLEARED") + "]";
  }
}
