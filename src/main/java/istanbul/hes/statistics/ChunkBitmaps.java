package istanbul.hes.statistics;

import java.util.Map;
import java.util.TreeMap;

/**
 * Bitmaps of card indexes in PostgreSQL's row form: one {@value #CHUNK_BYTES}-byte array per chunk
 * of {@value ActiveCardBits#CHUNK_CARDS} cards, the card at offset {@code o} in bit
 * {@code 7 - o % 8} of byte {@code o / 8} (so {@code bit_count} counts cards). Chunks are found by
 * number in an array: adding millions of indexes boxes nothing.
 */
final class ChunkBitmaps {
  static final int CHUNK_BYTES = ActiveCardBits.CHUNK_CARDS / 8;

  private final byte[][] chunks = new byte[ActiveCardBits.MAX_CHUNKS][];

  void add(int index) {
    int chunk = index >>> ActiveCardBits.CHUNK_SHIFT;
    byte[] bits = chunks[chunk];
    if (bits == null) {
      bits = chunks[chunk] = new byte[CHUNK_BYTES];
    }
    int offset = index & (ActiveCardBits.CHUNK_CARDS - 1);
    bits[offset >>> 3] |= (byte) (0x80 >>> (offset & 7));
  }

  boolean contains(int index) {
    byte[] bits = chunks[index >>> ActiveCardBits.CHUNK_SHIFT];
    int offset = index & (ActiveCardBits.CHUNK_CARDS - 1);
    return bits != null && (bits[offset >>> 3] & (0x80 >>> (offset & 7))) != 0;
  }

  /** ORs a stored chunk in. */
  void or(int chunk, byte[] stored) {
    if (stored.length != CHUNK_BYTES) {
      throw new IllegalStateException("a statistics bitmap row of " + stored.length + " bytes (expected " + CHUNK_BYTES + ")");
    }
    byte[] bits = chunks[chunk];
    if (bits == null) {
      bits = chunks[chunk] = new byte[CHUNK_BYTES];
    }
    for (int i = 0; i < CHUNK_BYTES; i++) {
      bits[i] |= stored[i];
    }
  }

  /** The chunks that hold a card, by number. */
  Map<Integer, byte[]> chunks() {
    Map<Integer, byte[]> used = new TreeMap<>();
    for (int chunk = 0; chunk < chunks.length; chunk++) {
      if (chunks[chunk] != null) {
        used.put(chunk, chunks[chunk]);
      }
    }
    return used;
  }

  long count() {
    long count = 0;
    for (byte[] bits : chunks) {
      if (bits != null) {
        for (byte b : bits) {
          count += Integer.bitCount(b & 0xFF);
        }
      }
    }
    return count;
  }
}
