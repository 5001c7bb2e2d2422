package istanbul.hes.ministry.health;

/**
 * The ministry gave no usable answer (after the retries that were safe to make): callers answer
 * 503 and try again later. {@link #reason()} says why, for logs and metrics.
 */
public final class MinistryUnavailable extends MinistryHealthException {
  public enum Reason {
    /** ministryHealth.baseUrl is empty. */
    NOT_CONFIGURED,
    /** Connection refused, closed or reset. */
    CONNECTION,
    /** No answer within ministryHealth.timeoutMillis. */
    TIMEOUT,
    /** A 5xx answer. */
    SERVER_ERROR,
    /** 401/403: the institution's credentials were refused. */
    CREDENTIALS_REFUSED,
    /** An answer that does not follow the contract (status, content type or body). */
    BAD_ANSWER,
    /** The circuit breaker is open: the ministry was not called. */
    BREAKER_OPEN
  }

  private final Reason reason;

  public MinistryUnavailable(Reason reason, String message, Throwable cause) {
    super("Ministry of Health unavailable (" + reason + "): " + message, cause, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
