package istanbul.hes.fanout;

import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.cardstore.CardStatusUpdate;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed status changes of one transaction as one stream entry value: a format byte, then
 * per card its number and its status in the map file's form (8 + 13 bytes; a delta page of
 * 10,000 cards is 210 KB).
 */
final class StatusUpdatesCodec {
  /** 3: statuses carry the card index. */
  static final byte FORMAT = 3;
  private static final int UPDATE_BYTES = Long.BYTES + CardStatus.SIZE_BYTES;

  private StatusUpdatesCodec() {}

  static byte[] encode(List<CardStatusUpdate> updates) {
    ByteBuffer buffer = ByteBuffer.allocate(1 + updates.size() * UPDATE_BYTES);
    buffer.put(FORMAT);
    CardStatus status = new CardStatus();
    for (CardStatusUpdate update : updates) {
      buffer.putLong(update.card());
      update.toStatus(status).writeTo(buffer);
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
    try {
      while (buffer.hasRemaining()) {
        long card = buffer.getLong();
        updates.add(CardStatusUpdate.of(card, new CardStatus().readFrom(buffer)));
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("a status update entry cut short", e);
    }
    return updates;
  }
}
