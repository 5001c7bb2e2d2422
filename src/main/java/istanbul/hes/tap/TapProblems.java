package istanbul.hes.tap;

import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemException;

/** The tap listener's own problems. Details name fields and positions, never the values sent. */
final class TapProblems {
  private TapProblems() {}

  static ProblemException missingField(String where, String field) {
    return new Problem(400, "MISSING_FIELD", "A required field is missing", where + field + " is required").exception();
  }

  static ProblemException duplicateField(String where, String field) {
    return new Problem(400, "DUPLICATE_FIELD", "A field appears twice", where + field + " appears more than once").exception();
  }

  static ProblemException invalidCard(String where) {
    return new Problem(400, "INVALID_CARD", "Invalid card number",
        where + "card must be a string of 16 ASCII digits, optionally in groups of four separated by single spaces").exception();
  }

  static ProblemException invalidValidator(String where) {
    return new Problem(400, "INVALID_VALIDATOR", "Invalid validator id",
        where + "validator must be a string of 1 to 64 characters A-Z, a-z, 0-9, '.', '_', ':' or '-'").exception();
  }

  static ProblemException invalidTimestamp(String where) {
    return new Problem(400, "INVALID_TIMESTAMP", "Invalid tap time",
        where + "at must be an RFC 3339 timestamp with a zone offset, e.g. 2026-11-21T08:00:00Z").exception();
  }

  static ProblemException notAnObject(String where) {
    return Problem.malformedJson(where.isEmpty() ? "the body must be a JSON object" : where + "must be a JSON object").exception();
  }

  static ProblemException invalidBatch() {
    return new Problem(400, "INVALID_BATCH", "Invalid batch", "taps must be an array of tap objects").exception();
  }

  static ProblemException tooManyTaps(int limit) {
    return new Problem(400, "TOO_MANY_TAPS", "Too many taps in one batch", "a batch holds at most " + limit + " taps").exception();
  }
}
