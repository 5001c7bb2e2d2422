package istanbul.hes.cardstore;

import java.util.List;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;

/**
 * The node's card status cache: 16-digit card number to {@link CardStatus}, off-heap in a
 * persisted Chronicle Map. Not ready until the loader has opened, recovered or rebuilt the file.
 * Readers pass their own key and value instances, so a lookup allocates nothing.
 */
public final class CardStatusMap {
  private static final int NO_SEGMENT = -1;

  private volatile ChronicleMap<CardKey, CardStatus> map;
  private volatile SegmentWriteMarks marks = SegmentWriteMarks.NONE;
  private volatile boolean ready;

  /** True once the map holds every card PostgreSQL had when loading finished. */
  public boolean ready() {
    return ready;
  }

  /** True once a file is open: status changes are applied from then on, even while loading. */
  public boolean open() {
    return map != null;
  }

  /**
   * Hot path: fills {@code into} and returns true when the card is known. Must only be called
   * when {@link #ready()}; {@code key} and {@code into} belong to the calling thread.
   */
  public boolean lookup(long card, CardKey key, CardStatus into) {
    return map.getUsing(key.set(card), into) != null;
  }

  /**
   * Applies a status unless the map already holds the same or a newer version of that card, so
   * changes arriving twice or out of order (commit, catch-up, fan-out) settle on the newest.
   *
   * @return true when the entry changed
   */
  public boolean applyIfNewer(long card, CardStatus status) {
    return applyIfNewer(new CardKey(card), status);
  }

  boolean applyIfNewer(CardKey key, CardStatus status) {
    int written = NO_SEGMENT;
    try (ExternalMapQueryContext<CardKey, CardStatus, ?> context = map.queryContext(key)) {
      context.updateLock().lock();
      MapEntry<CardKey, CardStatus> entry = context.entry();
      Data<CardStatus> value = context.wrapValueAsData(status);
      if (entry != null && entry.value().get().version() >= status.version()) {
        return false;
      }
      // Marked while the entry is being written, so a crash mid-write names this segment.
      int segment = context.segmentIndex();
      marks.writing(segment);
      if (entry == null) {
        context.insert(context.absentEntry(), value);
      } else {
        context.replaceValue(entry, value);
      }
      written = segment;
    } finally {
      // Only once the context closed: Chronicle stores the entry's checksum on close. A write
      // that threw leaves its mark, so a later crash recovery looks at that segment too.
      if (written != NO_SEGMENT) {
        marks.written(written);
      }
    }
    return true;
  }

  public long size() {
    ChronicleMap<CardKey, CardStatus> current = map;
    // Health and metrics may still ask while the node stops, after the map was closed.
    return current == null || !current.isOpen() ? 0 : current.longSize();
  }

  /** Bytes of the backing file in use (for metrics). */
  public long offHeapBytes() {
    ChronicleMap<CardKey, CardStatus> current = map;
    return current == null || !current.isOpen() ? 0 : current.offHeapMemoryUsed();
  }

  /** A map no crash recovery will look at (tests, benchmarks): its writes are not marked. */
  void install(ChronicleMap<CardKey, CardStatus> opened) {
    install(opened, SegmentWriteMarks.NONE);
  }

  void install(ChronicleMap<CardKey, CardStatus> opened, SegmentWriteMarks writeMarks) {
    this.marks = writeMarks;
    this.map = opened;
  }

  void markReady() {
    this.ready = true;
  }

  ChronicleMap<CardKey, CardStatus> detach() {
    ChronicleMap<CardKey, CardStatus> current = map;
    ready = false;
    map = null;
    marks = SegmentWriteMarks.NONE;
    return current;
  }

  /** How many segments the map has: the unit the consistency check samples the map side by. */
  int segments() {
    return map.segments();
  }

  /**
   * Adds the card numbers of one segment to {@code cards}. Holds the segment's update lock while
   * it reads (taps still read it; writers to it wait): call from a worker only.
   */
  void cardsOfSegment(int segment, List<Long> cards) {
    try (MapSegmentContext<CardKey, CardStatus, ?> context = map.segmentContext(segment)) {
      context.forEachSegmentEntry(entry -> cards.add(entry.key().get().number()));
    }
  }

  ChronicleMap<CardKey, CardStatus> chronicleMap() {
    return map;
  }
}
