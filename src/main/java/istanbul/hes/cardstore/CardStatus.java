package istanbul.hes.cardstore;

import java.nio.ByteBuffer;

/**
 * The decision inputs of one card, as kept in the off-heap map, and the card's dense index (the
 * position of its bit in the statistics' sets of active cards): 12 bytes in the map, no references.
 * Mutable on purpose: each reader owns one instance and reuses it for every lookup, so the tap
 * path allocates nothing.
 */
public final class CardStatus {
  /** The size of the form {@link #writeTo} writes (the fan-out stream's). */
  public static final int SIZE_BYTES = Long.BYTES + Integer.BYTES + Integer.BYTES + Byte.BYTES;

  /**
   * The size of the map's packed form ({@link #packedHigh}, {@link #packedLow}): version 48 bits,
   * expiry day 16, index 28, flags 4. Five bytes less per entry than {@link #SIZE_BYTES}: 34 M
   * cards' map is that much smaller and more of it stays in the caches.
   */
  static final int PACKED_BYTES = Long.BYTES + Integer.BYTES;

  /** Largest version the packed form holds (48 bits: versions come from a PostgreSQL sequence). */
  public static final long MAX_PACKED_VERSION = (1L << 48) - 1;
  /** Largest index the packed form holds; its all-ones value stands for {@link #NO_INDEX}. */
  static final int MAX_PACKED_INDEX = (1 << 28) - 2;
  private static final int PACKED_NO_INDEX = (1 << 28) - 1;
  /** The packed expiry day meaning {@link #NO_EXPIRY} (16 bits unsigned: days up to 2149-06-05). */
  private static final int PACKED_NO_EXPIRY = 0xFFFF;

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
    this.hesExpiresOnDay = hesLinked ? storableDay(hesExpiresOnDay) : NO_EXPIRY;
    this.flags = (byte) ((personalized ? PERSONALIZED : 0)
        | (blocked ? BLOCKED : 0)
        | (hesLinked ? HES_LINKED : 0)
        | (risky ? RISKY : 0));
    return this;
  }

  /**
   * The expiry day as the map can hold it (16 bits): a day past 2149 is no expiry, a day before
   * 1970 is 1970-01-01. Neither changes a decision made before 2149 (expired from that day on),
   * and the status compared with PostgreSQL's is the same on both sides.
   */
  static int storableDay(int day) {
    return day >= PACKED_NO_EXPIRY ? NO_EXPIRY : Math.max(0, day);
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
   * The map's first 8 bytes: the version, then the expiry day ({@link #storableDay}).
   *
   * @throws IllegalStateException for a version past 48 bits
   */
  long packedHigh() {
    if (version < 0 || version > MAX_PACKED_VERSION) {
      throw new IllegalStateException("card status version " + version + " does not fit the map's 48 bits");
    }
    int day = storableDay(hesExpiresOnDay);
    return version << 16 | (day == NO_EXPIRY ? PACKED_NO_EXPIRY : day);
  }

  /**
   * The map's last 4 bytes: the card index, then the flags.
   *
   * @throws IllegalStateException for an index past 28 bits
   */
  int packedLow() {
    if (index != NO_INDEX && (index < 0 || index > MAX_PACKED_INDEX)) {
      throw new IllegalStateException("card index " + index + " does not fit the map's 28 bits");
    }
    return (index == NO_INDEX ? PACKED_NO_INDEX : index) << 4 | (flags & KNOWN_FLAGS);
  }

  /** Reads the packed form back. */
  CardStatus unpack(long high, int low) {
    version = high >>> 16;
    int day = (int) (high & 0xFFFF);
    hesExpiresOnDay = day == PACKED_NO_EXPIRY ? NO_EXPIRY : day;
    int packedIndex = low >>> 4;
    index = packedIndex == PACKED_NO_INDEX ? NO_INDEX : packedIndex;
    flags = (byte) (low & KNOWN_FLAGS);
    return this;
  }

  /**
   * The status in its 17-byte form (version, HES expiry day, index, flags), for what carries
   * statuses between nodes (the fan-out stream; the map keeps the packed form).
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
    hesExpiresOnDay = storableDay(in.getInt());
    index = in.getInt();
    flags = in.get();
    if (!wellFormed()) {
      throw new IllegalArgumentException("not a card status");
    }
    return this;
  }

  boolean wellFormed() {
    // What the map cannot hold (a version or index past its packed bits) is not a status either.
    return (flags & ~KNOWN_FLAGS) == 0 && version >= 0 && version <= MAX_PACKED_VERSION && index >= NO_INDEX
        && index <= MAX_PACKED_INDEX && (hesLinked() || hesExpiresOnDay == NO_EXPIRY);
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
