package istanbul.hes.tap;

import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.ProblemException;

/** The tap listener's own problems. Details name fields and positions, never the values sent. */
final class TapProblems {
  private TapProblems() {}

  static ProblemException missingField(String where, String field) {
    return Problem.of(ProblemCode.MISSING_FIELD, where + field + " is required").exception();
  }

  static ProblemException duplicateField(String where, String field) {
    return Problem.of(ProblemCode.DUPLICATE_FIELD, where + field + " appears more than once").exception();
  }

  static ProblemException invalidCard(String where) {
    return Problem.of(ProblemCode.INVALID_CARD, where + "card must be a string of 16 ASCII digits, optionally in groups of four separated by single spaces").exception();
  }

  static ProblemException invalidValidator(String where) {
    return Problem.of(ProblemCode.INVALID_VALIDATOR, where + "validator must be a string of 1 to 64 characters A-Z, a-z, 0-9, '.', '_', ':' or '-'").exception();
  }

  static ProblemException invalidTimestamp(String where) {
    return Problem.of(ProblemCode.INVALID_TIMESTAMP, where + "at must be an RFC 3339 timestamp with a zone offset, e.g. 2026-11-21T08:00:00Z").exception();
  }

  static ProblemException notAnObject(String where) {
    return Problem.malformedJson(where.isEmpty() ? "the body must be a JSON object" : where + "must be a JSON object").exception();
  }

  static ProblemException invalidBatch() {
    return Problem.of(ProblemCode.INVALID_BATCH, "taps must be an array of tap objects").exception();
  }

  static ProblemException tooManyTaps(int limit) {
    return Problem.of(ProblemCode.TOO_MANY_TAPS, "a batch holds at most " + limit + " taps").exception();
  }
}
