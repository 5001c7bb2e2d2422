package istanbul.hes.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.cardstore.CardStatusUpdate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A transaction's changes survive the stream entry exactly, and what is not an entry is refused. */
class StatusUpdatesCodecTest {
  private static final List<CardStatusUpdate> UPDATES = List.of(
      new CardStatusUpdate(4000123456789012L, 17, true, false, true, 20_500, false, 0),
      new CardStatusUpdate(4000000000000001L, 18, false, true, false, CardStatus.NO_EXPIRY, false, 34_260_086),
      new CardStatusUpdate(9999999999999999L, CardStatus.MAX_PACKED_VERSION, true, true, true, 0xFFFE, true, CardStatus.NO_INDEX));

  @Test
  void whatIsEncodedIsDecoded() {
    byte[] entry = StatusUpdatesCodec.encode(UPDATES);
    assertThat(entry).hasSize(1 + UPDATES.size() * (Long.BYTES + CardStatus.SIZE_BYTES));
    assertThat(StatusUpdatesCodec.decode(entry)).isEqualTo(UPDATES);
    assertThat(StatusUpdatesCodec.decode(StatusUpdatesCodec.encode(List.of()))).isEmpty();
  }

  @Test
  void anotherFormatACutEntryOrUnknownFlagsAreRefused() {
    byte[] entry = StatusUpdatesCodec.encode(UPDATES);
    byte[] otherFormat = entry.clone();
    otherFormat[0] = 1;
    assertThatThrownBy(() -> StatusUpdatesCodec.decode(otherFormat)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StatusUpdatesCodec.decode(Arrays.copyOf(entry, entry.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] unknownFlags = entry.clone();
    unknownFlags[1 + Long.BYTES + Long.BYTES + Integer.BYTES + Integer.BYTES] = (byte) 0x70;
    assertThatThrownBy(() -> StatusUpdatesCodec.decode(unknownFlags)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StatusUpdatesCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    byte[] pastTheMapsVersion = entry.clone();
    java.nio.ByteBuffer.wrap(pastTheMapsVersion).putLong(1 + Long.BYTES, CardStatus.MAX_PACKED_VERSION + 1);
    assertThatThrownBy(() -> StatusUpdatesCodec.decode(pastTheMapsVersion)).isInstanceOf(IllegalArgumentException.class);
    byte[] negativeIndex = entry.clone();
    java.nio.ByteBuffer.wrap(negativeIndex).putInt(1 + Long.BYTES + Long.BYTES + Integer.BYTES, -2);
    assertThatThrownBy(() -> StatusUpdatesCodec.decode(negativeIndex)).isInstanceOf(IllegalArgumentException.class);
  }
}
