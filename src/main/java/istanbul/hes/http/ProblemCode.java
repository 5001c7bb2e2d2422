package istanbul.hes.http;

/**
 * The one catalogue of problem codes, for every listener: each stable, machine-readable code with
 * its HTTP status and title. Features name a code and say in a detail what to do; the status of a
 * code is decided here only. The API document lists the same codes per operation.
 */
public enum ProblemCode {
  // Every listener
  MALFORMED_JSON(400, "The body is not valid JSON"),
  BAD_REQUEST(400, "Bad request"),
  INVALID_REQUEST(400, "The request does not match the API document"),
  INVALID_CARD(400, "Invalid card number"),
  UNAUTHORIZED(401, "Missing or unknown credentials"),
  NOT_FOUND(404, "No such resource"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  BODY_TOO_LARGE(413, "The body is too large"),
  URI_TOO_LONG(414, "Request line too long"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  HEADERS_TOO_LARGE(431, "Request headers too large"),
  INTERNAL_ERROR(500, "Internal error"),
  NOT_READY(503, "The node is starting"),
  DATABASE_UNAVAILABLE(503, "The database is unavailable"),

  // Validators (tap listener)
  MISSING_FIELD(400, "A required field is missing"),
  DUPLICATE_FIELD(400, "A field appears twice"),
  INVALID_VALIDATOR(400, "Invalid validator id"),
  INVALID_TIMESTAMP(400, "Invalid tap time"),
  INVALID_BATCH(400, "Invalid batch"),
  TOO_MANY_TAPS(400, "Too many taps in one batch"),
  INVALID_VERSION(400, "Invalid hotlist version"),
  VIOLATION_NOT_RECORDED(503, "The denial could not be recorded"),

  // Citizens (citizen listener); the INVALID_* of citizen values match ValidationCode's names
  INVALID_TCKN(400, "Invalid input"),
  INVALID_PASSPORT(400, "Invalid input"),
  INVALID_NATIONALITY(400, "Invalid input"),
  INVALID_HES_CODE(400, "Invalid input"),
  INVALID_NAME(400, "Invalid input"),
  INVALID_BIRTH_YEAR(400, "Invalid input"),
  INVALID_PHONE(400, "Invalid input"),
  MISSING_IDENTITY(400, "Identity missing"),
  CONSENT_REQUIRED(400, "Consent required"),
  CARD_NOT_OWNED(403, "The card is not registered to you"),
  HES_NOT_OWNED(403, "The HES code belongs to someone else"),
  IDENTITY_MISMATCH(403, "Not the caller's identity"),
  NO_HES_CODE(404, "The card has no HES code"),
  CARD_NOT_AVAILABLE(409, "The card cannot be registered to you"),
  HES_ALREADY_PRESENT(409, "The card already has a HES code"),
  HES_LINKED_TO_OTHER_CARD(409, "The HES code is linked to another card"),
  UNKNOWN_HES_CODE(422, "Unknown HES code"),
  HES_CODE_EXPIRED(422, "The HES code has expired"),
  CHALLENGE_FAILED(422, "Verification failed"),
  RATE_LIMITED(429, "Too many requests"),
  MINISTRY_UNAVAILABLE(503, "The Ministry of Health cannot be reached"),
  CHALLENGE_UNAVAILABLE(503, "Verification is unavailable"),

  // Sales and top-up points (points listener)
  PHONE_REQUIRED(400, "A phone is required"),
  AGENT_ROLE_REFUSED(403, "Not a sales-point agent"),
  POINT_ACCESS_DISABLED(403, "The agent or the point is disabled"),
  HOLDER_CHECK_REQUIRED(403, "A confirmed holder check is required"),
  HOLDER_SESSION_MISMATCH(403, "The holder session is for another card or agent"),
  HOLDER_PHONE_UNKNOWN(409, "The holder has no registered phone"),

  // Campaign notices (citizen listener)
  INVALID_OPT_OUT_TOKEN(400, "Invalid opt-out token"),
  INVALID_PUSH_TOKEN(400, "Invalid push token"),
  INVALID_LANGUAGE(400, "Invalid language"),

  // Operators (admin listener)
  INVALID_STAFF_ID(400, "Invalid agent or point id"),
  UNKNOWN_CAMPAIGN(404, "Unknown campaign"),
  CAMPAIGN_STATE_CONFLICT(409, "The campaign is not in a state for this"),
  CHANNEL_NOT_CONFIGURED(409, "The channel is not configured"),
  INVALID_BLOCK_REASON(400, "Invalid block reason"),
  INVALID_REQUEUE(400, "Invalid re-queue request"),
  UNKNOWN_CARD(404, "Unknown card"),
  OPERATOR_ACTIONS_DISABLED(404, "Operator actions are disabled"),
  CONSISTENCY_CHECK_RUNNING(409, "A consistency check is running"),
  FOUR_EYES_REQUIRED(403, "Two different operators must approve this"),
  INVALID_REFERENCE(400, "Invalid request reference");

  private final int status;
  private final String title;

  ProblemCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
