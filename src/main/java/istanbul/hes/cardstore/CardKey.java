package istanbul.hes.cardstore;

/** A reusable map key holding a card number, so lookups do not box a {@code Long}. */
public final class CardKey {
  long number;

  public CardKey() {}

  public CardKey(long number) {
    this.number = number;
  }

  public CardKey set(long cardNumber) {
    this.number = cardNumber;
    return this;
  }

  public long number() {
    return number;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CardKey that && number == that.number;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(number);
  }

  @Override
  public String toString() {
    return CardNumber.masked(number);
  }
}
