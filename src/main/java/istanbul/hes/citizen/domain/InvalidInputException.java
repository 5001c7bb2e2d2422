package istanbul.hes.citizen.domain;

import java.util.Objects;

/**
 * A value a citizen sent is not acceptable. Carries a stable {@link ValidationCode}, the name of
 * the field, and a detail that names the field and what was expected but never echoes the value
 * (it is personal data). No stack trace: it is not a bug.
 */
public final class InvalidInputException extends RuntimeException {
  private final ValidationCode code;
  private final String field;

  public InvalidInputException(ValidationCode code, String field, String detail) {
    super(Objects.requireNonNull(detail, "detail"), null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.field = Objects.requireNonNull(field, "field");
  }

  public ValidationCode code() {
    return code;
  }

  /** The name of the offending field, as the API spells it. */
  public String field() {
    return field;
  }

  /** The human-readable detail: names the field, never contains the value. */
  public String detail() {
    return getMessage();
  }
}
