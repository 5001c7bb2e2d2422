package istanbul.hes.simulator;

import io.vertx.core.json.JsonObject;

/**
 * What the simulated ministry does wrong, applied to every ministry request (never to the
 * {@code /simulator} operator endpoints), in this order:
 * <ul>
 *   <li>{@code down}: the connection is closed as soon as a request arrives, before it is read and
 *       with nothing answered (the listener uses SO_LINGER 0, so the client sees a reset at once);</li>
 *   <li>{@code slowMillis}: once the request is read, everything after is delayed this long (a
 *       timer: the event loop is never blocked), and done even when the client gave up meanwhile
 *       (what a slow real server does: the caller cannot know whether its request took effect);</li>
 *   <li>{@code reset}: the request is read, then the connection is reset (TCP RST);</li>
 *   <li>{@code error5xxStatus}/{@code error5xxProbability}/{@code error5xxCount}: answer that
 *       status with that probability, for the next {@code error5xxCount} requests (-1: until
 *       cleared).</li>
 * </ul>
 */
public record Faults(boolean down, long slowMillis, boolean reset, int error5xxStatus, double error5xxProbability, int error5xxCount) {
  public static final Faults NONE = new Faults(false, 0, false, 503, 0.0, -1);

  public Faults {
    if (slowMillis < 0) {
      throw new IllegalArgumentException("slowMillis must not be negative");
    }
    if (error5xxStatus < 500 || error5xxStatus > 599) {
      throw new IllegalArgumentException("error5xxStatus must be a 5xx status");
    }
    if (!(error5xxProbability >= 0.0 && error5xxProbability <= 1.0)) {
      throw new IllegalArgumentException("error5xxProbability must be between 0 and 1");
    }
  }

  public static Faults goDown() {
    return NONE.withDown(true);
  }

  public static Faults slow(long millis) {
    return new Faults(false, millis, false, 503, 0.0, -1);
  }

  public static Faults resetConnections() {
    return new Faults(false, 0, true, 503, 0.0, -1);
  }

  /** Always answer {@code status}, until cleared. */
  public static Faults error5xx(int status) {
    return error5xx(status, 1.0, -1);
  }

  /** Answer {@code status} with {@code probability}, for the next {@code count} requests (-1: until cleared). */
  public static Faults error5xx(int status, double probability, int count) {
    return new Faults(false, 0, false, status, probability, count);
  }

  public Faults withDown(boolean newDown) {
    return new Faults(newDown, slowMillis, reset, error5xxStatus, error5xxProbability, error5xxCount);
  }

  public static Faults fromJson(JsonObject json) {
    return new Faults(
        json.getBoolean("down", false),
        json.getLong("slowMillis", 0L),
        json.getBoolean("reset", false),
        json.getInteger("error5xxStatus", 503),
        json.getDouble("error5xxProbability", 0.0),
        json.getInteger("error5xxCount", -1));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("down", down)
        .put("slowMillis", slowMillis)
        .put("reset", reset)
        .put("error5xxStatus", error5xxStatus)
        .put("error5xxProbability", error5xxProbability)
        .put("error5xxCount", error5xxCount);
  }
}
