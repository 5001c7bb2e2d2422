package istanbul.hes.statistics;

import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/**
 * A list of card indexes as PostgreSQL sends an {@code integer[]} in binary ({@code array_send}):
 * one byte string the client copies on its event loop, unpacked here, on a worker. Read as an
 * array of boxed integers, a day's millions of indexes would be decoded (and boxed) on the event
 * loop the taps share.
 */
final class IndexLists {
  private IndexLists() {}

  /** Calls {@code each} with every index of an {@code array_send(integer[])} value. */
  static void forEach(byte[] sent, IntConsumer each) {
    ByteBuffer in = ByteBuffer.wrap(sent);
    int dimensions = in.getInt();
    in.getInt(); // has nulls: never (the column is integer[] of indexes)
    in.getInt(); // element type oid
    if (dimensions == 0) {
      return;
    }
    if (dimensions != 1) {
      throw new IllegalArgumentException("a list of card indexes has one dimension, not " + dimensions);
    }
    int length = in.getInt();
    in.getInt(); // lower bound
    for (int i = 0; i < length; i++) {
      int size = in.getInt();
      if (size != Integer.BYTES) {
        throw new IllegalArgumentException("a card index of " + size + " bytes");
      }
      each.accept(in.getInt());
    }
  }
}
