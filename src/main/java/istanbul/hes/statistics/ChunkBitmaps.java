package istanbul.hes.statistics;

import java.util.HashMap;
import java.util.Map;

/**
 * Bitmaps of card indexes in PostgreSQL's row form: one {@value #CHUNK_BYTES}-byte array per chunk
 * of {@value ActiveCardBits#CHUNK_CARDS} cards, the card at offset {@code o} in bit
 * {@code 7 - o % 8} of byte {@code o / 8} (so {@code bit_count} counts cards).
 */
final class ChunkBitmaps {
  static final int CHUNK_BYTES = ActiveCardBits.CHUNK_CARDS / 8;

  private final Map<Integer, byte[]> chunks = new HashMap<>();

  void add(int index) {
    byte[] bits = chunks.computeIfAbsent(index >>> ActiveCardBits.CHUNK_SHIFT, chunk -> new byte[CHUNK_BYTES]);
    int offset = index & (ActiveCardBits.CHUNK_CARDS - 1);
    bits[offset >>> 3] |= (byte) (0x80 >>> (offset & 7));
  }

  /** ORs a stored chunk in. */
  void or(int chunk, byte[] stored) {
    if (stored.length != CHUNK_BYTES) {
      throw new IllegalStateException("a statistics bitmap row of " + stored.length + " bytes (expected " + CHUNK_BYTES + ")");
    }
    byte[] bits = chunks.computeIfAbsent(chunk, c -> new byte[CHUNK_BYTES]);
    for (int i = 0; i < CHUNK_BYTES; i++) {
      bits[i] |= stored[i];
    }
  }

  Map<Integer, byte[]> chunks() {
    return chunks;
  }

  long count() {
    long count = 0;
    for (byte[] bits : chunks.values()) {
      for (byte b : bits) {
        count += Integer.bitCount(b & 0xFF);
      }
    }
    return count;
  }
}
