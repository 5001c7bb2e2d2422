package istanbul.hes.citizen.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Year;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BirthYearTest {
  private static final Year NOW = Year.of(2026);

  @ParameterizedTest
  @ValueSource(ints = {1900, 1901, 1985, 2025, 2026})
  void yearsFrom1900ToTheCurrentYearAreAccepted(int year) {
    assertThat(BirthYear.of(year, NOW).value()).isEqualTo(year);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1985, 0, 85, 1899, 2027, 9999, Integer.MAX_VALUE})
  void otherYearsAreInvalid(int year) {
    assertThatThrownBy(() -> BirthYear.of(year, NOW))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ValidationCode.INVALID_BIRTH_YEAR);
          assertThat(e.field()).isEqualTo("birthYear");
          assertThat(e.detail()).isEqualTo("birthYear must be a year from 1900 to the current year");
        });
  }

  @Test
  void theUpperBoundFollowsTheGivenYear() {
    assertThatThrownBy(() -> BirthYear.of(2027, NOW)).isInstanceOf(InvalidInputException.class);
    assertThat(BirthYear.of(2027, Year.of(2027)).value()).isEqualTo(2027);
  }

  @Test
  void toStringHidesTheYear() {
    assertThat(BirthYear.of(1985, NOW).toString()).doesNotContain("1985");
    assertThat(BirthYear.of(1985, NOW)).isEqualTo(BirthYear.of(1985, Year.of(2030)));
  }
}
