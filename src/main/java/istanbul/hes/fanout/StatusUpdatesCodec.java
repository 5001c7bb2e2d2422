package istanbul.hes.fanout;

import istanbul.hes.cardstore.CardStatusUpdate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed status changes of one transaction as one stream entry value: a format byte, then
 * per card its number, version, flags and HES expiry day (21 bytes; a delta page of 10,000 cards
 * is 210 KB).
 */
final class StatusUpdatesCodec {
  static final byte FORMAT = 1;
  private static final int UPDATE_BYTES = Long.BYTES + Long.BYTES + Byte.BYTES + Integer.BYTES;
  private static final int PERSONALIZED = 1;
  private static final int BLOCKED = 1 << 1;
  private static final int HES_LINKED = 1 << 2;
  private static final int RISKY = 1 << 3;

  private StatusUpdatesCodec() {}

  static byte[] encode(List<CardStatusUpdate> updates) {
    ByteBuffer buffer = ByteBuffer.allocate(1 + updates.size() * UPDATE_BYTES);
    buffer.put(FORMAT);
    for (CardStatusUpdate update : updates) {
      int flags = (update.personalized() ? PERSONALIZED : 0) | (update.blocked() ? BLOCKED : 0)
          | (update.hesLinked() ? HES_LINKED : 0) | (update.risky() ? RISKY : 0);
      buffer.putLong(update.card()).putLong(update.version()).put((byte) flags).putInt(update.hesExpiresOnDay());
    }
    return buffer.array();
  }

  /** @throws IllegalArgumentException when the value is not one this codec wrote */
  static List<CardStatusUpdate> decode(byte[] value) {
    if (value.length < 1 || value[0] != FORMAT || (value.length - 1) % UPDATE_BYTES != 0) {
      throw new IllegalArgumentException("not a status update entry (" + value.length + " bytes)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(value, 1, value.length - 1);
    List<CardStatusUpdate> updates = new ArrayList<>((value.length - 1) / UPDATE_BYTES);
    while (buffer.hasRemaining()) {
      long card = buffer.getLong();
      long version = buffer.getLong();
      int flags = buffer.get();
      int expiresOnDay = buffer.getInt();
      updates.add(new CardStatusUpdate(card, version, (flags & PERSONALIZED) != 0, (flags & BLOCKED) != 0,
          (flags & HES_LINKED) != 0, expiresOnDay, (flags & RISKY) != 0));
    }
    return updates;
  }
}
