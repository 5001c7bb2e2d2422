package istanbul.hes.cardstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.zip.CRC32C;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The map file, its state sidecar and its lock. Every method blocks (file I/O, mmap, recovery):
 * call them from a worker only. The lock is held for the node's lifetime, so two processes never
 * open one file and recovery always runs with exclusive access, as Chronicle requires.
 */
final class CardMapFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CardMapFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  private final Path mapFile;
  private final Path stateFile;
  private final Path marksFile;
  private final long expectedCards;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private CardMapFile(Path mapFile, long expectedCards, FileChannel lockChannel, FileLock lock) {
    this.mapFile = mapFile;
    this.stateFile = sibling(mapFile, ".state");
    this.marksFile = sibling(mapFile, ".writing");
    this.expectedCards = expectedCards;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static CardMapFile lock(Path mapFile, long expectedCards) throws IOException {
    Path absolute = mapFile.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    FileChannel channel = FileChannel.open(sibling(absolute, ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("map file " + absolute + " is in use by another gateway process");
    }
    return new CardMapFile(absolute, expectedCards, channel, lock);
  }

  Path path() {
    return mapFile;
  }

  long expectedCards() {
    return expectedCards;
  }

  /** The segment write marks beside the map ({@link SegmentWriteMarks}). */
  Path marksFile() {
    return marksFile;
  }

  /**
   * A hash of the map file's identity on its file system (device and inode on Linux), 0 when the
   * file system gives none: a file put back from a copy or rebuilt is another file.
   */
  long identityHash() throws IOException {
    Object key = Files.readAttributes(mapFile, BasicFileAttributes.class).fileKey();
    if (key == null) {
      return 0;
    }
    long hash = 1125899906842597L;
    for (char c : key.toString().toCharArray()) {
      hash = 31 * hash + c;
    }
    return hash == 0 ? 1 : hash;
  }

  /**
   * Which boot of this host and which marks session opened the map, or null where the system
   * gives no boot id (a crash is then never known to have been the process's alone).
   */
  static String session(long marksSession) {
    return bootId().map(boot -> boot + "/" + Long.toHexString(marksSession)).orElse(null);
  }

  /** The kernel's random id of this boot (Linux); empty elsewhere. */
  static Optional<String> bootId() {
    try {
      return Optional.of(Files.readString(BOOT_ID).trim()).filter(id -> !id.isEmpty());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  boolean exists() {
    return Files.isRegularFile(mapFile);
  }

  long length() throws IOException {
    return Files.size(mapFile);
  }

  /** CRC32C of the whole file (hardware-assisted; about a second per gigabyte from the page cache). */
  long checksum() throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(mapFile, StandardOpenOption.READ)) {
      while (channel.read(buffer) > 0) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
      }
    }
    return crc.getValue();
  }

  Optional<MapFileState> readState() {
    if (!Files.isRegularFile(stateFile)) {
      return Optional.empty();
    }
    try {
      MapFileState state = JSON.readValue(stateFile.toFile(), MapFileState.class);
      // A format 1 state (no identity) is still returned: the loader rebuilds it and says why.
      return state.format() >= 1 && state.format() <= MapFileState.FORMAT ? Optional.of(state) : Optional.empty();
    } catch (IOException e) {
      LOG.warn("map state file {} is unreadable: {}", stateFile, e.getMessage());
      return Optional.empty();
    }
  }

  /** Written to a temporary file, forced to disk, then moved over the old one. */
  void writeState(MapFileState state) throws IOException {
    Path temporary = sibling(mapFile, ".state.tmp");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(state)));
      channel.force(true);
    }
    try {
      Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  ChronicleMap<CardKey, CardStatus> openExisting() throws IOException {
    return builder(expectedCards).createPersistedTo(mapFile.toFile());
  }

  ChronicleMap<CardKey, CardStatus> recoverExisting() throws IOException {
    return builder(expectedCards).recoverPersistedTo(mapFile.toFile(), true,
        corruption -> LOG.warn("map recovery: {}", corruption.message()));
  }

  /** A new, empty map; any old file and state are removed first. */
  ChronicleMap<CardKey, CardStatus> createFresh() throws IOException {
    deleteMapAndState();
    return builder(expectedCards).createPersistedTo(mapFile.toFile());
  }

  void deleteMapAndState() throws IOException {
    Files.deleteIfExists(mapFile);
    Files.deleteIfExists(stateFile);
    Files.deleteIfExists(marksFile);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }

  static ChronicleMapBuilder<CardKey, CardStatus> builder(long expectedCards) {
    return ChronicleMapBuilder.of(CardKey.class, CardStatus.class)
        .name("card-status")
        .keyMarshaller(CardKeyMarshaller.INSTANCE)
        .valueMarshaller(CardStatusMarshaller.INSTANCE)
        .constantKeySizeBySample(new CardKey(4_000_000_000_000_000L))
        .constantValueSizeBySample(new CardStatus())
        // 5 % headroom: within its planned entries the file never grows (1.13 GiB for 36 M).
        .entries(expectedCards + expectedCards / 20)
        // Issuance beyond that adds tiers (the file grows) instead of failing.
        .maxBloatFactor(1.5)
        // The node closes the map itself, after the taps in flight at SIGTERM are answered;
        // Chronicle's own exit hook would close it under them.
        .skipCloseOnExitHook(true);
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }
}
