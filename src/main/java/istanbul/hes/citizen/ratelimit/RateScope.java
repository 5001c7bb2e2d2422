package istanbul.hes.citizen.ratelimit;

import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.PointsConfig;
import java.util.function.ToIntBiFunction;

/**
 * What is counted, its limit per one-minute window, and what happens when Redis cannot count:
 *
 * <ul>
 *   <li>{@link #CHALLENGE_PER_PERSON} fails closed: every challenge sends an SMS, which costs
 *       money and can be abused to flood a phone; without a counter no challenge is sent.
 *   <li>{@link #REQUEST_PER_PERSON}, {@link #REQUEST_PER_ADDRESS} fail open: the requests
 *       themselves are authenticated and cheap next to refusing every citizen while Redis is
 *       down; each failure is counted and logged (at most one line per scope per 10 s).
 *   <li>At the sales points: {@link #HOLDER_CHECK_PER_AGENT} fails closed (each check sends an
 *       SMS), {@link #REQUEST_PER_AGENT} and {@link #REQUEST_PER_POINT} fail open, as above.
 * </ul>
 */
public enum RateScope {
  CHALLENGE_PER_PERSON("challenge-person", false, (citizen, points) -> citizen.challengesPerPersonPerMinute()),
  REQUEST_PER_PERSON("request-person", true, (citizen, points) -> citizen.requestsPerPersonPerMinute()),
  REQUEST_PER_ADDRESS("request-address", true, (citizen, points) -> citizen.requestsPerAddressPerMinute()),
  HOLDER_CHECK_PER_AGENT("holder-check-agent", false, (citizen, points) -> points.holderChecksPerAgentPerMinute()),
  REQUEST_PER_AGENT("request-agent", true, (citizen, points) -> points.requestsPerAgentPerMinute()),
  REQUEST_PER_POINT("request-point", true, (citizen, points) -> points.requestsPerPointPerMinute());

  private final String id;
  private final boolean failOpen;
  private final ToIntBiFunction<CitizenConfig, PointsConfig> limit;

  RateScope(String id, boolean failOpen, ToIntBiFunction<CitizenConfig, PointsConfig> limit) {
    this.id = id;
    this.failOpen = failOpen;
    this.limit = limit;
  }

  /** The scope's part of the Redis key, e.g. {@code challenge-person}. */
  public String id() {
    return id;
  }

  /** Whether a request is let through when Redis cannot count it. */
  public boolean failOpen() {
    return failOpen;
  }

  private boolean isPointScope() {
    return this == HOLDER_CHECK_PER_AGENT || this == REQUEST_PER_AGENT || this == REQUEST_PER_POINT;
  }

  /** @param points the points' settings; null where there are none (the points' scopes are then unusable) */
  public int limit(CitizenConfig citizen, PointsConfig points) {
    if (points == null && isPointScope()) {
      throw new IllegalStateException("rate scope " + id + " needs the points' settings");
    }
    return limit.applyAsInt(citizen, points);
  }
}
