package istanbul.hes.cardstore;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which segments of the map a writer was changing, in a small memory-mapped file next to it
 * ({@code cards.map.writing}). A writer marks a segment before it changes an entry and takes the
 * mark off once the entry is whole (a count per segment). The marks are stores into
 * the page cache, so a killed process leaves them behind: after a process crash only the marked
 * segments can hold a torn entry, and recovery checks those instead of all of them.
 *
 * <p>Header: format, segment count, the session (a random id per opening, 0 once closed cleanly)
 * and a hash of the map file's identity (device and inode), so marks are never read for a map file
 * other than the one they were written beside (a copy put back, a rebuilt file). Then one int per
 * segment.
 */
final class SegmentWriteMarks implements AutoCloseable {
  /** For maps no crash can leave behind (tests, benchmarks): marks nothing. */
  static final SegmentWriteMarks NONE = new SegmentWriteMarks(null, null, 0, 0);

  private static final int FORMAT = 1;
  private static final int HEADER_BYTES = 32;
  private static final int SESSION_OFFSET = 8;
  private static final int FILE_OFFSET = 16;
  private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a crashed session left: its id, the map file it marked, and the segments it was writing. */
  record Left(long session, long mapFile, int segments, List<Integer> writing) {}

  private final Path path;
  private final MappedByteBuffer marks;
  private final int segments;
  private final long session;

  private SegmentWriteMarks(Path path, MappedByteBuffer marks, int segments, long session) {
    this.path = path;
    this.marks = marks;
    this.segments = segments;
    this.session = session;
  }

  /** What the last session left in the file, if it is one of this format; empty otherwise. */
  static Optional<Left> read(Path path) throws IOException {
    if (!Files.isRegularFile(path) || Files.size(path) < HEADER_BYTES) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.nativeOrder());
      int segments = buffer.getInt(4);
      if (buffer.getInt(0) != FORMAT || segments <= 0 || channel.size() != HEADER_BYTES + 4L * segments) {
        return Optional.empty();
      }
      List<Integer> writing = new ArrayList<>();
      for (int segment = 0; segment < segments; segment++) {
        if (buffer.getInt(HEADER_BYTES + 4 * segment) != 0) {
          writing.add(segment);
        }
      }
      return Optional.of(new Left(buffer.getLong(SESSION_OFFSET), buffer.getLong(FILE_OFFSET), segments, List.copyOf(writing)));
    }
  }

  /**
   * Starts a session: a new random id, no marks, for the map file {@code mapFile} (its identity
   * hash). The file is forced to disk before the session is recorded anywhere else.
   */
  static SegmentWriteMarks start(Path path, int segments, long mapFile) throws IOException {
    long session = RANDOM.nextLong() & Long.MAX_VALUE | 1;
    Files.deleteIfExists(path);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES + 4L * segments);
      buffer.order(ByteOrder.nativeOrder());
      buffer.putInt(0, FORMAT).putInt(4, segments).putLong(SESSION_OFFSET, session).putLong(FILE_OFFSET, mapFile);
      buffer.force();
      return new SegmentWriteMarks(path, buffer, segments, session);
    }
  }

  long session() {
    return session;
  }

  /**
   * Before an entry of {@code segment} changes (under the segment's update lock). A count, not a
   * flag: the mark is taken off only after Chronicle closed the entry's context, which writes the
   * entry's checksum and releases the lock, so another writer may have marked the segment by then.
   * The atomic add is a full fence: the mark is stored before any byte of the entry.
   */
  void writing(int segment) {
    if (marks != null) {
      INTS.getAndAdd(marks, HEADER_BYTES + 4 * segment, 1);
    }
  }

  /** After the entry's context closed: every byte of it, checksum included, is stored. */
  void written(int segment) {
    if (marks != null) {
      INTS.getAndAdd(marks, HEADER_BYTES + 4 * segment, -1);
    }
  }

  int segments() {
    return segments;
  }

  /** Ends the session after a clean close of the map: no marks can be trusted for a later crash. */
  @Override
  public void close() {
    if (marks != null) {
      marks.putLong(SESSION_OFFSET, 0);
      marks.force();
    }
  }

  @Override
  public String toString() {
    return path == null ? "no marks" : path + " (session " + Long.toHexString(session) + ")";
  }
}
