package istanbul.hes.simulator.health;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The simulated ministry's risk delta feed ({@code GET /v1/risk-deltas?after=<seq>&limit=<n>}):
 * an append-only log of deltas numbered 1, 2, 3, … (strictly increasing, as the contract says),
 * and pages cut from it. {@link FeedFaults} make pages misbehave the ways a real feed does
 * (duplicates, replays, out-of-order deltas, transient gaps), drawn from a seeded random source
 * so a test can replay a run.
 *
 * <p>Identities on the wire: a TCKN (11 digits), or a foreigner's {@code <NAT>:<passport>}
 * (ISO 3166 alpha-3, a colon, the passport number). Personal data: nothing here logs them, and
 * {@link Delta#toString()} masks them.
 */
public final class RiskDeltaFeed {
  /** What a delta says of a person. */
  public enum Status {
    RISKY,
    CLEARED
  }

  /** One delta as served. */
  public record Delta(long seq, String identity, Status status, Instant at) {
    public Delta {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(at, "at");
    }

    public JsonObject toJson() {
      return new JsonObject().put("seq", seq).put("identity", identity).put("status", status.name()).put("at", at.toString());
    }

    @Override
    public String toString() {
      return "Delta[" + seq + ", ***" + identity.substring(Math.max(0, identity.length() - 3)) + ", " + status + "]";
    }
  }

  /** A page: the deltas served and the feed's last sequence number at that moment. */
  public record Page(List<Delta> deltas, long last) {
    public JsonObject toJson() {
      JsonArray items = new JsonArray();
      deltas.forEach(delta -> items.add(delta.toJson()));
      return new JsonObject().put("deltas", items).put("last", last);
    }
  }

  private final List<Delta> log = new ArrayList<>();
  private final Random random;
  private FeedFaults faults = FeedFaults.NONE;

  public RiskDeltaFeed(long seed) {
    this.random = new Random(seed);
  }

  /** Appends a delta now; returns its sequence number. */
  public synchronized long append(String identity, Status status) {
    long seq = log.size() + 1L;
    log.add(new Delta(seq, identity, status, Instant.now()));
    return seq;
  }

  /** Appends {@code count} deltas of the identities and statuses drawn from the suppliers (a storm); returns the last seq. */
  public synchronized long appendMany(int count, Supplier<String> identities, Supplier<Status> statuses) {
    Instant now = Instant.now();
    for (int i = 0; i < count; i++) {
      log.add(new Delta(log.size() + 1L, identities.get(), statuses.get(), now));
    }
    return log.size();
  }

  /** The last sequence number (0: empty). */
  public synchronized long last() {
    return log.size();
  }

  /** The delta with this sequence number. */
  public synchronized Delta get(long seq) {
    return log.get((int) (seq - 1));
  }

  public synchronized void faults(FeedFaults newFaults) {
    faults = Objects.requireNonNull(newFaults, "faults");
  }

  public synchronized FeedFaults faults() {
    return faults;
  }

  /**
   * The page after {@code after}, at most {@code limit} deltas, in order unless a fault says
   * otherwise: a replay starts it earlier than asked, a gap leaves one delta out of this answer
   * only, duplicates repeat some, reordering shuffles it.
   */
  public synchronized Page page(long after, int limit) {
    long start = Math.max(0, Math.min(after, log.size()));
    if (start > 0 && faults.replay() > 0 && random.nextDouble() < faults.replay()) {
      start = Math.max(0, start - 1 - random.nextInt((int) Math.min(limit, start)));
    }
    int from = (int) start;
    int to = (int) Math.min(log.size(), start + limit);
    List<Delta> served = new ArrayList<>(log.subList(from, to));
    if (served.size() > 2 && faults.gap() > 0 && random.nextDouble() < faults.gap()) {
      served.remove(1 + random.nextInt(served.size() - 2));
    }
    if (!served.isEmpty() && faults.duplicate() > 0) {
      List<Delta> doubled = new ArrayList<>(served.size() + 4);
      for (Delta delta : served) {
        doubled.add(delta);
        if (random.nextDouble() < faults.duplicate()) {
          doubled.add(delta);
        }
      }
      served = doubled;
    }
    if (served.size() > 1 && faults.reorder() > 0 && random.nextDouble() < faults.reorder()) {
      Collections.shuffle(served, random);
    }
    return new Page(List.copyOf(served), log.size());
  }

  /**
   * How pages misbehave, each a probability in [0, 1]: {@code duplicate} per delta (served twice),
   * {@code replay} per page (it starts before {@code after}), {@code reorder} per page (shuffled),
   * {@code gap} per page (one delta in its middle left out of that answer only).
   */
  public record FeedFaults(double duplicate, double replay, double reorder, double gap) {
    public static final FeedFaults NONE = new FeedFaults(0, 0, 0, 0);

    public FeedFaults {
      for (double probability : new double[] {duplicate, replay, reorder, gap}) {
        if (!(probability >= 0 && probability <= 1)) {
          throw new IllegalArgumentException("fault probabilities are between 0 and 1");
        }
      }
    }

    public static FeedFaults fromJson(JsonObject json) {
      return new FeedFaults(json.getDouble("duplicate", 0.0), json.getDouble("replay", 0.0), json.getDouble("reorder", 0.0),
          json.getDouble("gap", 0.0));
    }

    public JsonObject toJson() {
      return new JsonObject().put("duplicate", duplicate).put("replay", replay).put("reorder", reorder).put("gap", gap);
    }
  }
}
