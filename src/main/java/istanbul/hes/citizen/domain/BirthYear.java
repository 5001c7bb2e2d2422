package istanbul.hes.citizen.domain;

import java.time.Year;

/**
 * A holder's year of birth: {@value #MIN} up to the current year (a newborn's card may be
 * personalized). The current year is given by the caller (Istanbul's calendar, from its clock), so
 * the type stays free of the system clock. {@link #toString()} does not show the year.
 */
public final class BirthYear {
  public static final String FIELD = "birthYear";
  public static final int MIN = 1900;

  private final int value;

  private BirthYear(int value) {
    this.value = value;
  }

  public static BirthYear of(int year, Year currentYear) {
    return of(year, currentYear, FIELD);
  }

  public static BirthYear of(int year, Year currentYear, String field) {
    if (year < MIN || year > currentYear.getValue()) {
      throw new InvalidInputException(ValidationCode.INVALID_BIRTH_YEAR, field,
          field + " must be a year from " + MIN + " to the current year");
    }
    return new BirthYear(year);
  }

  public int value() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BirthYear year && year.value == value;
  }

  @Override
  public int hashCode() {
    return value;
  }

  @Override
  public String toString() {
    return "BirthYear[****]";
  }
}
