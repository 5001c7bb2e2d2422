package istanbul.hes.citizen.store;

import istanbul.hes.cardstore.CardNumber;

/** A verdict recorded on the card its code is linked to; {@code changedCards}: the holder's cards whose status changed. */
public record RecordedVerdict(long card, int changedCards) {
  @Override
  public String toString() {
    return "RecordedVerdict[" + CardNumber.masked(card) + ", changed " + changedCards + "]";
  }
}
