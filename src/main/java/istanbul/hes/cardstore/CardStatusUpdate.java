package istanbul.hes.cardstore;

/**
 * A committed change of one card's decision inputs, as the store hands it on. Immutable. The
 * expiry day is held as the map holds it ({@link CardStatus#storableDay}), so an update equals the
 * status it becomes.
 */
public record CardStatusUpdate(long card, long version, boolean personalized, boolean blocked, boolean hesLinked,
    int hesExpiresOnDay, boolean risky, int cardIndex) {
  public CardStatusUpdate {
    hesExpiresOnDay = hesLinked ? CardStatus.storableDay(hesExpiresOnDay) : CardStatus.NO_EXPIRY;
  }

  public static CardStatusUpdate of(long card, CardStatus status) {
    return new CardStatusUpdate(card, status.version(), status.personalized(), status.blocked(), status.hesLinked(),
        status.hesExpiresOnDay(), status.risky(), status.index());
  }

  public CardStatus toStatus(CardStatus into) {
    return into.set(version, personalized, blocked, hesLinked, hesExpiresOnDay, risky, cardIndex);
  }

  @Override
  public String toString() {
    return "CardStatusUpdate[" + CardNumber.masked(card) + " v" + version + "]";
  }
}
