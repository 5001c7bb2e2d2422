package istanbul.hes.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a messaging simulator (SMS, push) delivered, for tests to read back: the last
 * {@code maxKept} messages, how many deliveries each recipient got over the simulator's whole life
 * (since the last {@link #clear()}), and the references seen. A send that repeats a reference is a
 * duplicate: it gets the first delivery's id and is neither kept nor counted again, as the outside
 * gateways dedupe an at-least-once sender by its reference.
 *
 * <p>Memory is bounded: the last {@code maxKept} messages; the last {@code maxReferences}
 * references (the oldest is forgotten first, and a repeat of a forgotten reference counts as a new
 * delivery); {@code maxRecipients} recipients counted by name (deliveries to further recipients
 * count in {@code total} and in {@code unlisted}, not in {@code recipients}). With the simulators'
 * limits (10,000 messages, 1,000,000 references, 1,000,000 recipients) and keys of some 100
 * characters that is a few hundred MB at the most, after a million distinct sends.
 *
 * <p>Thread-safe (one lock): the simulator's event loop and the tests' Java calls share it.
 * Recipients and messages are personal data: nothing here logs, and {@link Counts#toString()}
 * names no recipient.
 *
 * @param <M> the message kept (made by the simulator from the delivery's id and instant)
 */
public final class Deliveries<M> {
  /** What a reference may be: 1 to 128 of {@code A-Z a-z 0-9 : _ . -}. */
  public static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9:_.-]{1,128}");

  /** Makes the message kept for a delivery. */
  @FunctionalInterface
  public interface MessageFactory<M> {
    M create(long id, Instant at);
  }

  /** What became of a send. */
  public enum Outcome {
    /** Kept and counted. */
    DELIVERED,
    /** Its reference was seen: nothing kept or counted but the duplicate. */
    DUPLICATE,
    /** The recipient is refused (e.g. a dead push token): nothing kept or remembered, counted as refused. */
    REFUSED
  }

  /**
   * The answer to a send: a delivery's id and message, a duplicate's first delivery id (no
   * message), or a refusal (id 0, no message).
   */
  public record Receipt<M>(Outcome outcome, long id, M delivered) {
    public boolean duplicate() {
      return outcome == Outcome.DUPLICATE;
    }

    public boolean refused() {
      return outcome == Outcome.REFUSED;
    }
  }

  /**
   * Deliveries since the last {@link #clear()}: per recipient (the first {@code maxRecipients}
   * recipients), in all, to recipients beyond those ({@code unlisted}); the sends answered as
   * duplicates and those refused; the instants of the first and last deliveries (null before any).
   */
  public record Counts(Map<String, Long> recipients, long total, long duplicates, long refused, long unlisted, Instant first, Instant last) {
    public JsonObject toJson() {
      JsonObject byRecipient = new JsonObject();
      recipients.forEach(byRecipient::put);
      return new JsonObject()
          .put("recipients", byRecipient)
          .put("total", total)
          .put("duplicates", duplicates)
          .put("refused", refused)
          .put("unlisted", unlisted)
          .put("first", first == null ? null : first.toString())
          .put("last", last == null ? null : last.toString());
    }

    @Override
    public String toString() {
      return "Counts[" + recipients.size() + " recipients, total " + total + ", duplicates " + duplicates + ", refused " + refused + ", unlisted " + unlisted + "]";
    }
  }

  private record Kept<M>(String recipient, M message) {}

  private final int maxKept;
  private final int maxReferences;
  private final int maxRecipients;
  private final Clock clock;
  private final Deque<Kept<M>> kept = new ArrayDeque<>();
  private final Map<String, Long> idsByReference;
  private final Map<String, Long> byRecipient = new HashMap<>();
  private long nextId = 1;
  private long total;
  private long duplicates;
  private long refused;
  private long unlisted;
  private Instant first;
  private Instant last;

  public Deliveries(int maxKept, int maxReferences, int maxRecipients, Clock clock) {
    if (maxKept < 1 || maxReferences < 1 || maxRecipients < 1) {
      throw new IllegalArgumentException("the limits must be positive");
    }
    this.maxKept = maxKept;
    this.maxReferences = maxReferences;
    this.maxRecipients = maxRecipients;
    this.clock = clock;
    this.idsByReference = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > Deliveries.this.maxReferences;
      }
    };
  }

  /**
   * Delivers a message to {@code recipient}, unless {@code reference} (null: none) was seen: then
   * a duplicate receipt with the first delivery's id, and nothing kept or counted but the duplicate.
   */
  public Receipt<M> deliver(String recipient, String reference, MessageFactory<M> factory) {
    return deliver(recipient, reference, any -> false, factory);
  }

  /**
   * As {@link #deliver(String, String, MessageFactory)}, but a recipient that {@code refuses}
   * holds, and whose send is not a duplicate, is refused: nothing kept or remembered (its repeat
   * is refused again), counted as refused.
   */
  public synchronized Receipt<M> deliver(String recipient, String reference, Predicate<String> refuses, MessageFactory<M> factory) {
    if (reference != null) {
      Long earlier = idsByReference.get(reference);
      if (earlier != null) {
        duplicates++;
        return new Receipt<>(Outcome.DUPLICATE, earlier, null);
      }
    }
    if (refuses.test(recipient)) {
      refused++;
      return new Receipt<>(Outcome.REFUSED, 0, null);
    }
    long id = nextId++;
    Instant at = clock.instant();
    M message = factory.create(id, at);
    kept.addLast(new Kept<>(recipient, message));
    if (kept.size() > maxKept) {
      kept.removeFirst();
    }
    if (reference != null) {
      idsByReference.put(reference, id);
    }
    if (byRecipient.containsKey(recipient) || byRecipient.size() < maxRecipients) {
      byRecipient.merge(recipient, 1L, Long::sum);
    } else {
      unlisted++;
    }
    total++;
    if (first == null) {
      first = at;
    }
    last = at;
    return new Receipt<>(Outcome.DELIVERED, id, message);
  }

  /** The kept messages to {@code recipient}, oldest first; all of them when it is null. */
  public synchronized List<M> kept(String recipient) {
    List<M> found = new ArrayList<>();
    for (Kept<M> each : kept) {
      if (recipient == null || each.recipient().equals(recipient)) {
        found.add(each.message());
      }
    }
    return found;
  }

  public synchronized Counts counts() {
    return new Counts(Map.copyOf(byRecipient), total, duplicates, refused, unlisted, first, last);
  }

  /** Forgets the messages, the counts and the references; ids keep rising (never given twice). */
  public synchronized void clear() {
    kept.clear();
    idsByReference.clear();
    byRecipient.clear();
    total = 0;
    duplicates = 0;
    refused = 0;
    unlisted = 0;
    first = null;
    last = null;
  }
}
