package istanbul.hes.citizen.ratelimit;

/**
 * A fail-closed scope ({@link RateScope#failOpen()} false) could not be counted because Redis
 * failed: the caller answers 503 (not 429: the person exceeded nothing). No stack trace is filled
 * in; the cause keeps its own.
 */
public final class RateLimitUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RateScope scope;

  public RateLimitUnavailable(RateScope scope, Throwable cause) {
    super("rate limit " + scope.id() + " unavailable (Redis failed)", cause, false, false);
    this.scope = scope;
  }

  public RateScope scope() {
    return scope;
  }
}
