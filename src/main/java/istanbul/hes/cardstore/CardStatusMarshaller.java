package istanbul.hes.cardstore;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;

/**
 * 17 bytes: version, HES expiry day, card index, flags. Hand-written instead of a Chronicle value interface,
 * so opening the map compiles nothing at run time and needs no JDK compiler.
 */
final class CardStatusMarshaller
    implements SizedReader<CardStatus>, SizedWriter<CardStatus>, EnumMarshallable<CardStatusMarshaller> {
  static final CardStatusMarshaller INSTANCE = new CardStatusMarshaller();

  private CardStatusMarshaller() {}

  @Override
  public long size(CardStatus status) {
    return CardStatus.SIZE_BYTES;
  }

  @Override
  public void write(Bytes<?> out, long size, CardStatus status) {
    out.writeLong(status.version);
    out.writeInt(status.hesExpiresOnDay);
    out.writeInt(status.index);
    out.writeByte(status.flags);
  }

  @Override
  public CardStatus read(Bytes<?> in, long size, CardStatus using) {
    CardStatus status = using != null ? using : new CardStatus();
    status.version = in.readLong();
    status.hesExpiresOnDay = in.readInt();
    status.index = in.readInt();
    status.flags = in.readByte();
    return status;
  }

  @Override
  public CardStatusMarshaller readResolve() {
    return INSTANCE;
  }
}
