package istanbul.hes.cardstore;

/**
 * The sidecar next to the map file. {@code clean} is false while a node has the map open, so a
 * crash leaves it false and the next start recovers and checks the file. {@code fileBytes} is the
 * file length when it was last known good: a shorter file was truncated and is never mapped.
 * {@code checksum} (CRC32C of the whole file at a clean close) catches garbage written into a
 * closed file, which Chronicle would otherwise open without complaint and fail on later.
 * {@code identity} names the database the map caches (null in a state written before format 2):
 * the position and the entries only mean something against that one. {@code complete} is set once
 * the map held every card at {@code position} (a load that finished, a catch-up since), so a map
 * a crash interrupted while loading is never taken for one that only missed recent changes.
 * {@code openedBy} names the boot and the session that opened the map ({@link SegmentWriteMarks}):
 * a crash of that session in this boot was a process crash, whose marks say what it can have torn.
 */
record MapFileState(
    int format, boolean clean, long expectedCards, long fileBytes, long checksum, long positionVersion, long positionXmin,
    MapIdentity identity, boolean complete, String openedBy) {
  /**
   * 3: entries carry the card index (17 bytes); 4: the status packed in 12 bytes. A map of an
   * earlier format is rebuilt.
   */
  static final int FORMAT = 4;
  static final long NO_CHECKSUM = -1;

  LogPosition position() {
    return new LogPosition(positionVersion, positionXmin);
  }

  MapFileState opened(long currentFileBytes, String session) {
    return new MapFileState(FORMAT, false, expectedCards, currentFileBytes, NO_CHECKSUM, positionVersion, positionXmin, identity,
        complete, session);
  }

  MapFileState closed(long currentFileBytes, long currentChecksum) {
    return new MapFileState(FORMAT, true, expectedCards, currentFileBytes, currentChecksum, positionVersion, positionXmin, identity,
        complete, null);
  }

  /** The map holds every card as of {@code position}. */
  MapFileState at(LogPosition position) {
    return new MapFileState(FORMAT, clean, expectedCards, fileBytes, checksum, position.version(), position.xmin(), identity, true,
        openedBy);
  }

  /** A map being loaded from scratch: not complete until its first position is recorded. */
  static MapFileState loading(long expectedCards, long fileBytes, MapIdentity identity, String session) {
    return new MapFileState(FORMAT, false, expectedCards, fileBytes, NO_CHECKSUM, LogPosition.START.version(),
        LogPosition.START.xmin(), identity, false, session);
  }
}
