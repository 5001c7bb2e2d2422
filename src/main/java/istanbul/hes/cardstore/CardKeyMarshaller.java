package istanbul.hes.cardstore;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;

/** 8 bytes, the card number. Stateless singleton in the shape Chronicle asks for (EnumMarshallable). */
final class CardKeyMarshaller
    implements SizedReader<CardKey>, SizedWriter<CardKey>, EnumMarshallable<CardKeyMarshaller> {
  static final CardKeyMarshaller INSTANCE = new CardKeyMarshaller();

  private CardKeyMarshaller() {}

  @Override
  public long size(CardKey key) {
    return Long.BYTES;
  }

  @Override
  public void write(Bytes<?> out, long size, CardKey key) {
    out.writeLong(key.number);
  }

  @Override
  public CardKey read(Bytes<?> in, long size, CardKey using) {
    CardKey key = using != null ? using : new CardKey();
    key.number = in.readLong();
    return key;
  }

  @Override
  public CardKeyMarshaller readResolve() {
    return INSTANCE;
  }
}
