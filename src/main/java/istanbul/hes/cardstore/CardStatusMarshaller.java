package istanbul.hes.cardstore;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;

/**
 * 12 bytes, packed: version and HES expiry day, then card index and flags (see
 * {@link CardStatus#packedHigh}). Hand-written instead of a Chronicle value interface,
 * so opening the map compiles nothing at run time and needs no JDK compiler.
 */
final class CardStatusMarshaller
    implements SizedReader<CardStatus>, SizedWriter<CardStatus>, EnumMarshallable<CardStatusMarshaller> {
  static final CardStatusMarshaller INSTANCE = new CardStatusMarshaller();

  private CardStatusMarshaller() {}

  @Override
  public long size(CardStatus status) {
    return CardStatus.PACKED_BYTES;
  }

  @Override
  public void write(Bytes<?> out, long size, CardStatus status) {
    out.writeLong(status.packedHigh());
    out.writeInt(status.packedLow());
  }

  @Override
  public CardStatus read(Bytes<?> in, long size, CardStatus using) {
    CardStatus status = using != null ? using : new CardStatus();
    long high = in.readLong();
    return status.unpack(high, in.readInt());
  }

  @Override
  public CardStatusMarshaller readResolve() {
    return INSTANCE;
  }
}
