package istanbul.hes.citizen.ratelimit;

/**
 * The answer of the rate limiter: allowed, or not before {@code retryAfterSeconds} (1..60, the
 * rest of the current one-minute window; the caller answers 429 with {@code Retry-After}).
 * {@code retryAfterSeconds} is 0 when allowed.
 */
public record Decision(boolean allowed, int retryAfterSeconds) {
  static final Decision ALLOWED = new Decision(true, 0);

  public Decision {
    if (allowed ? retryAfterSeconds != 0 : retryAfterSeconds < 1 || retryAfterSeconds > 60) {
      throw new IllegalArgumentException("retryAfterSeconds must be 0 when allowed, 1..60 otherwise");
    }
  }

  public static Decision allow() {
    return ALLOWED;
  }

  public static Decision deny(int retryAfterSeconds) {
    return new Decision(false, retryAfterSeconds);
  }
}
