package istanbul.hes.citizen.domain;

/** Stable, machine-readable codes of invalid citizen input (the problem's {@code code}, status 400). */
public enum ValidationCode {
  INVALID_TCKN,
  INVALID_PASSPORT,
  INVALID_NATIONALITY,
  INVALID_HES_CODE,
  INVALID_NAME,
  INVALID_BIRTH_YEAR,
  INVALID_PHONE
}
