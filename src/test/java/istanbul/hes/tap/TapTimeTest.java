package istanbul.hes.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TapTimeTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "2026-11-21T08:00:00Z",
      "2026-11-21T08:00:00.5Z",
      "2026-11-21T08:00:00.123Z",
      "2026-11-21T08:00:00.123456789Z",
      "2026-11-21T08:00:00+03:00",
      "2026-11-21T08:00:00.250+03:00",
      "2026-11-21T08:00:00-05:30",
      "2026-11-21T23:59:59+14:00",
      "2024-02-29T00:00:00Z",
      "2000-02-29T12:00:00Z",
      "1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59Z",
      "2026-12-31T23:59:59.999-12:00"})
  void validTimestampsGiveTheirInstant(String text) {
    assertThat(TapTime.parseMillis(text)).isEqualTo(OffsetDateTime.parse(text).toInstant().toEpochMilli());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-21t08:00:00z", "2026-11-21t08:00:00+00:00"})
  void lowerCaseSeparatorsAreAccepted(String text) {
    assertThat(TapTime.parseMillis(text)).isEqualTo(OffsetDateTime.parse("2026-11-21T08:00:00Z").toInstant().toEpochMilli());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "garbage",
      "2026-11-21",
      "2026-11-21T08:00:00",            // no offset
      "2026-11-21T08:00:00.123",        // no offset after a fraction
      "2026-02-30T08:00:00Z",           // February 30
      "2025-02-29T08:00:00Z",           // not a leap year
      "1900-02-29T08:00:00Z",           // century, not a leap year
      "2026-04-31T08:00:00Z",           // April has 30 days
      "2026-13-01T08:00:00Z",
      "2026-00-10T08:00:00Z",
      "2026-11-00T08:00:00Z",
      "2026-11-21T24:00:00Z",           // hour 24
      "2026-11-21T08:60:00Z",
      "2026-11-21T08:00:60Z",           // no leap seconds
      "2026-11-21 08:00:00Z",           // space instead of T
      "2026/11/21T08:00:00Z",
      "2026-11-21T08:00:00.Z",          // empty fraction
      "2026-11-21T08:00:00.1234567890Z", // ten fraction digits
      "2026-11-21T08:00:00+0300",       // offset without colon
      "2026-11-21T08:00:00+03",
      "2026-11-21T08:00:00+19:00",      // offset beyond 18 hours
      "2026-11-21T08:00:00+03:60",
      "2026-11-21T08:00:00ZZ",
      "2026-11-21T08:00:00Z ",
      " 2026-11-21T08:00:00Z",
      "２０２６-11-21T08:00:00Z",        // full-width digits
      "2026-11-21T0８:00:00Z",
      "+2026-11-21T08:00:00Z",
      "2026-11-21T08:00:00GMT"})
  void everythingElseIsInvalid(String text) {
    assertThat(TapTime.parseMillis(text)).isEqualTo(TapTime.INVALID);
  }
}
