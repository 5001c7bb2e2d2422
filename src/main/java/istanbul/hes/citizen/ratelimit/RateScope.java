package istanbul.hes.citizen.ratelimit;

import istanbul.hes.config.CitizenConfig;
import java.util.function.ToIntFunction;

/**
 * What is counted, its limit per one-minute window, and what happens when Redis cannot count:
 *
 * <ul>
 *   <li>{@link #CHALLENGE_PER_PERSON} fails closed: every challenge sends an SMS, which costs
 *       money and can be abused to flood a phone; without a counter no challenge is sent.
 *   <li>{@link #REQUEST_PER_PERSON}, {@link #REQUEST_PER_ADDRESS} fail open: the requests
 *       themselves are authenticated and cheap next to refusing every citizen while Redis is
 *       down; each failure is counted and logged (at most one line per scope per 10 s).
 * </ul>
 */
public enum RateScope {
  CHALLENGE_PER_PERSON("challenge-person", false, CitizenConfig::challengesPerPersonPerMinute),
  REQUEST_PER_PERSON("request-person", true, CitizenConfig::requestsPerPersonPerMinute),
  REQUEST_PER_ADDRESS("request-address", true, CitizenConfig::requestsPerAddressPerMinute);

  private final String id;
  private final boolean failOpen;
  private final ToIntFunction<CitizenConfig> limit;

  RateScope(String id, boolean failOpen, ToIntFunction<CitizenConfig> limit) {
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

  public int limit(CitizenConfig config) {
    return limit.applyAsInt(config);
  }
}
