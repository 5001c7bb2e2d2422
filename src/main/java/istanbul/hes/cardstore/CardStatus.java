package istanbul.hes.cardstore;

import java.nio.ByteBuffer;

/**
 * The decision inputs of one card, as kept in the off-heap map, and the card's dense index (the
 * position of its bit in the statistics' sets of active cards): 17 bytes, no references.
 * Mutable on purpose: each reader owns one instance and reuses it for every lookup, so the tap
 * path allocates nothing.
 */
public final class CardStatus {
  public static final int SIZE_BYTES = Long.BYTES + Integer.BYTES + Integer.BYTES + Byte.BYTES;

  /** The index of a status that names none (made up by a test, say): the statistics skip it. */
  public static final int NO_INDEX = -1;

  static final int PERSONALIZED = 1;
  static final int BLOCKED = 1 << 1;
  static final int HES_LINKED = 1 << 2;
  static final int RISKY = 1 << 3;
  private static final int KNOWN_FLAGS = PERSONALIZED | BLOCKED | HES_LINKED | RISKY;

  /** Expiry day of a HES code without expiry (the ministry sends a far-future date for those). */
  public static final int NO_EXPIRY = Integer.MAX_VALUE;

  long version;
  int hesExpiresOnDay;
  int index = NO_INDEX;
  byte flags;

  public CardStatus() {}

  public static CardStatus of(
      long version, boolean personalized, boolean blocked, boolean hesLinked, int hesExpiresOnDay, boolean risky) {
    return new CardStatus().set(version, personalized, blocked, hesLinked, hesExpiresOnDay, risky);
  }

  /** The inputs, with no card index ({@link #NO_INDEX}). */
  public CardStatus set(
      long version, boolean personalized, boolean blocked, boolean hesLinked, int hesExpiresOnDay, boolean risky) {
    return set(version, personalized, blocked, hesLinked, hesExpiresOnDay, risky, NO_INDEX);
  }

  public CardStatus set(long version, boolean personalized, boolean blocked, boolean hesLinked, int hesExpiresOnDay,
      boolean risky, int index) {
    this.version = version;
    this.index = index;
    this.hesExpiresOnDay = hesLinked ? hesExpiresOnDay : NO_EXPIRY;
    this.flags = (byte) ((personalized ? PERSONALIZED : 0)
        | (blocked ? BLOCKED : 0)
        | (hesLinked ? HES_LINKED : 0)
        | (risky ? RISKY : 0));
    return this;
  }

  public CardStatus copyFrom(CardStatus other) {
    this.version = other.version;
    this.hesExpiresOnDay = other.hesExpiresOnDay;
    this.index = other.index;
    this.flags = other.flags;
    return this;
  }

  public long version() {
    return version;
  }

  public boolean personalized() {
    return (flags & PERSONALIZED) != 0;
  }

  public boolean blocked() {
    return (flags & BLOCKED) != 0;
  }

  public boolean hesLinked() {
    return (flags & HES_LINKED) != 0;
  }

  public boolean risky() {
    return (flags & RISKY) != 0;
  }

  /** The card's dense index (cards.card_index), or {@link #NO_INDEX}. */
  public int index() {
    return index;
  }

  /** Epoch day (in the configured time zone) from which the linked HES code is expired. */
  public int hesExpiresOnDay() {
    return hesExpiresOnDay;
  }

  /** Same decision inputs, ignoring the version. */
  public boolean sameInputs(CardStatus other) {
    return flags == other.flags && hesExpiresOnDay == other.hesExpiresOnDay;
  }

  /**
   * The status in the map file's 17-byte form (version, HES expiry day, index, flags), for
   * whatever else carries statuses between nodes (the fan-out stream).
   */
  public void writeTo(ByteBuffer out) {
    out.putLong(version).putInt(hesExpiresOnDay).putInt(index).put(flags);
  }

  /**
   * Reads the form {@link #writeTo} wrote.
   *
   * @throws IllegalArgumentException when the bytes are not a status
   */
  public CardStatus readFrom(ByteBuffer in) {
    version = in.getLong();
    hesExpiresOnDay = in.getInt();
    index = in.getInt();
    flags = in.get();
    if (!wellFormed()) {
      throw new IllegalArgumentException("not a card status");
    }
    return this;
  }

  boolean wellFormed() {
    return (flags & ~KNOWN_FLAGS) == 0 && version >= 0 && index >= NO_INDEX && (hesLinked() || hesExpiresOnDay == NO_EXPIRY);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CardStatus that && version == that.version && index == that.index && sameInputs(that);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(version) * 31 + flags * 17 + hesExpiresOnDay) * 31 + index;
  }

  @Override
  public String toString() {
    return "CardStatus[v" + version
        + (index == NO_INDEX ? "" : " #" + index)
        + (personalized() ? " personalized" : " anonymous")
        + (blocked() ? " blocked" : "")
        + (hesLinked() ? " hes(expires day " + (hesExpiresOnDay == NO_EXPIRY ? "never" : hesExpiresOnDay) + ")" : " no-hes")
        + (risky() ? " risky" : "")
        + "]";
  }
}
