package istanbul.hes.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a node finds on (re)connecting, named as {@code gateway_fanout_log_catch_ups_total{reason}}
 * names it: a stream trimmed past its position, or the stream it followed gone with Redis's data.
 */
class StreamLossTest {
  private static final StreamId POSITION = new StreamId(1_000, 3);
  private static final StreamId BEFORE = new StreamId(900, 0);
  private static final StreamId AFTER = new StreamId(2_000, 0);
  private static final StreamId LATEST = new StreamId(3_000, 0);

  @Test
  void aStreamThatVanishedIsLostUnlessNothingWasReadYet() {
    assertThat(CardStatusStream.Info.MISSING.lossAfter(POSITION, false)).isEqualTo("stream lost");
    assertThat(CardStatusStream.Info.MISSING.lossAfter(StreamId.ZERO, false)).isNull();
  }

  @Test
  void aStreamStartedAnewAfterRedisLostItsDataIsLostNotTrimmed() {
    // Redis 7: the new stream never deleted anything.
    assertThat(new CardStatusStream.Info(true, LATEST, AFTER, 0L).lossAfter(POSITION, false)).isEqualTo("stream lost");
    // Redis 6 (no max-deleted-entry-id): the restart tells.
    assertThat(new CardStatusStream.Info(true, LATEST, AFTER, null).lossAfter(POSITION, true)).isEqualTo("stream lost");
    // A stream that never reached the position is not the one followed.
    assertThat(new CardStatusStream.Info(true, BEFORE, null, null).lossAfter(POSITION, false)).isEqualTo("stream lost");
  }

  @Test
  void aStreamTrimmedPastThePositionIsTrimmed() {
    assertThat(new CardStatusStream.Info(true, LATEST, AFTER, 990L).lossAfter(POSITION, false)).isEqualTo("trimmed");
    assertThat(new CardStatusStream.Info(true, LATEST, AFTER, 1L).lossAfter(POSITION, false)).isEqualTo("trimmed");
    assertThat(new CardStatusStream.Info(true, LATEST, AFTER, null).lossAfter(POSITION, false)).isEqualTo("trimmed");
  }

  @Test
  void aStreamStillHoldingThePositionLostNothing() {
    assertThat(new CardStatusStream.Info(true, LATEST, BEFORE, 0L).lossAfter(POSITION, true)).isNull();
    assertThat(new CardStatusStream.Info(true, LATEST, POSITION, 7L).lossAfter(POSITION, false)).isNull();
    assertThat(new CardStatusStream.Info(true, POSITION, null, 3L).lossAfter(POSITION, false)).isNull();
  }
}
