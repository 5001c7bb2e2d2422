package istanbul.hes.statistics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A set of card indexes that every event loop adds to at once, without a lock: one bit per card,
 * in chunks of {@value #CHUNK_CARDS} cards allocated the first time one of their cards is added
 * (once a day per chunk, never per tap). A card already in the set costs one plain read; a new
 * one, one atomic OR.
 *
 * <p>The flusher (one thread at a time) takes what was added since its last take, and keeps a
 * shadow of what it took, so a card is written to PostgreSQL once per node and day however often
 * it taps; a failed write gives its cards back.
 */
final class ActiveCardBits {
  static final int CHUNK_SHIFT = 16;
  static final int CHUNK_CARDS = 1 << CHUNK_SHIFT;
  static final int CHUNK_WORDS = CHUNK_CARDS / Long.SIZE;
  /** Card indexes are non-negative ints. */
  static final int MAX_CHUNKS = 1 << (Integer.SIZE - 1 - CHUNK_SHIFT);
  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

  private final AtomicReferenceArray<long[]> chunks = new AtomicReferenceArray<>(MAX_CHUNKS);
  /** What the flusher took so far; the flusher's alone. */
  private final long[][] taken = new long[MAX_CHUNKS][];
  /** Raised before a chunk is published, so the flusher never skips a chunk a bit was set in. */
  private final java.util.concurrent.atomic.AtomicInteger highestChunk = new java.util.concurrent.atomic.AtomicInteger(-1);

  void add(int index) {
    int chunk = index >>> CHUNK_SHIFT;
    long[] words = chunks.get(chunk);
    if (words == null) {
      words = allocate(chunk);
    }
    int word = (index >>> 6) & (CHUNK_WORDS - 1);
    long bit = 1L << index;
    if (((long) WORDS.getOpaque(words, word) & bit) == 0) {
      WORDS.getAndBitwiseOr(words, word, bit);
    }
  }

  private long[] allocate(int chunk) {
    long[] fresh = new long[CHUNK_WORDS];
    highestChunk.accumulateAndGet(chunk, Math::max);
    return chunks.compareAndSet(chunk, null, fresh) ? fresh : chunks.get(chunk);
  }

  /** Flusher: the indexes added since the last take, in increasing order, now counted as taken. */
  IntList take() {
    IntList added = new IntList();
    int last = highestChunk.get();
    for (int chunk = 0; chunk <= last; chunk++) {
      long[] words = chunks.get(chunk);
      if (words == null) {
        continue;
      }
      long[] done = taken[chunk];
      for (int word = 0; word < CHUNK_WORDS; word++) {
        long now = (long) WORDS.getAcquire(words, word);
        long fresh = done == null ? now : now & ~done[word];
        if (fresh == 0) {
          continue;
        }
        if (done == null) {
          done = taken[chunk] = new long[CHUNK_WORDS];
        }
        done[word] |= fresh;
        int base = (chunk << CHUNK_SHIFT) | (word << 6);
        while (fresh != 0) {
          added.add(base | Long.numberOfTrailingZeros(fresh));
          fresh &= fresh - 1;
        }
      }
    }
    return added;
  }

  /** Flusher: the write of these (from {@link #take}) failed; the next take returns them again. */
  void giveBack(IntList indexes) {
    for (int i = 0; i < indexes.size(); i++) {
      int index = indexes.get(i);
      taken[index >>> CHUNK_SHIFT][(index >>> 6) & (CHUNK_WORDS - 1)] &= ~(1L << index);
    }
  }

  /** Heap held by the bits and their shadow. */
  long bytes() {
    long bytes = 2L * MAX_CHUNKS * 8;
    int last = highestChunk.get();
    for (int chunk = 0; chunk <= last; chunk++) {
      bytes += (chunks.get(chunk) == null ? 0 : CHUNK_WORDS * 8L) + (taken[chunk] == null ? 0 : CHUNK_WORDS * 8L);
    }
    return bytes;
  }
}
