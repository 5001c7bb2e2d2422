package istanbul.hes.cardstore;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the map file to a state that agrees with PostgreSQL: warm start, recovery after a process
 * crash (the segments being written), recovery plus check after any other crash, or rebuild, each
 * followed by a catch-up from the change log. Runs on a worker context: the file
 * operations block, and the streamed rows are applied on the same worker thread.
 */
final class CardMapLoader {
  private static final Logger LOG = LoggerFactory.getLogger(CardMapLoader.class);

  private final Pool pool;
  private final CardStatusMap map;
  private final CardMapFile file;
  private final int fetchRows;
  /** The database this node serves; every state written records it. Set before the file is touched. */
  private MapIdentity identity;
  /** The write marks of the map installed now, and the session the state records for them. */
  private SegmentWriteMarks marks = SegmentWriteMarks.NONE;
  private String session;

  CardMapLoader(Pool pool, CardStatusMap map, CardMapFile file, int fetchRows) {
    this.pool = pool;
    this.map = map;
    this.file = file;
    this.fetchRows = fetchRows;
  }

  Future<MapLoad> load() {
    long started = System.nanoTime();
    Optional<MapFileState> state = file.readState();
    LogPosition recorded = state.map(MapFileState::position).orElse(LogPosition.START);
    // The database is asked first: which one it is decides whether the file is worth opening.
    return databaseView(recorded)
        .compose(database -> {
          identity = database.identity();
          return chooseAndLoad(state, database, started);
        })
        .compose(this::finish);
  }

  private Future<MapLoad> chooseAndLoad(Optional<MapFileState> state, DatabaseView database, long started) {
    try {
      String unusable = unusableReason(state);
      if (unusable == null) {
        unusable = notThisDatabase(state.orElseThrow(), database);
      }
      if (unusable != null) {
        return rebuild(unusable, started);
      }
      return state.orElseThrow().clean() ? warmStart(state.orElseThrow(), started) : recover(state.orElseThrow(), started);
    } catch (IOException | RuntimeException e) {
      return rebuild("the file could not be opened (" + e + ")", started);
    }
  }

  /**
   * Why a map that is sound as a file still cannot serve this database: it caches another
   * installation, database, schema or cluster, or its change-log position is one this log does
   * not hold. Warm-started, its catch-up would apply another log's rows or none at all; recovered,
   * its entries of other cards would stay. Null when the map belongs here.
   */
  private static String notThisDatabase(MapFileState state, DatabaseView database) {
    if (state.identity() == null) {
      return "the map state records no database identity (written by an older version)";
    }
    List<String> differences = state.identity().differencesFrom(database.identity());
    if (!differences.isEmpty()) {
      return "the map was built for another database: " + String.join("; ", differences);
    }
    LogPosition position = state.position();
    if (position.version() > database.newestVersion()) {
      return "the map's change-log position (version " + position.version() + ") is beyond the log's newest version ("
          + database.newestVersion() + ")";
    }
    if (!database.positionLogged()) {
      return "the change log no longer holds the map's position (version " + position.version() + ")";
    }
    if (position.xmin() > database.snapshotXmin()) {
      return "the map's change-log position (transaction " + position.xmin() + ") is ahead of this database ("
          + database.snapshotXmin() + ")";
    }
    return null;
  }

  /** This database's identity and what its change log says about a map's position. */
  record DatabaseView(MapIdentity identity, boolean positionLogged, long newestVersion, long snapshotXmin) {}

  private Future<DatabaseView> databaseView(LogPosition position) {
    return pool.preparedQuery(CardStatusSql.DATABASE_VIEW).execute(Tuple.of(position.version()))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new DatabaseView(new MapIdentity(row.getString(0), row.getString(1), row.getString(2), row.getString(3)),
              row.getBoolean(4), row.getLong(5), row.getLong(6));
        });
  }

  private String unusableReason(Optional<MapFileState> state) throws IOException {
    if (!file.exists()) {
      return "there is no map file";
    }
    if (state.isEmpty()) {
      return "the map file has no readable state";
    }
    if (state.get().format() < MapFileState.FORMAT) {
      return "the map file's entries are of an older format (" + state.get().format() + "; this version writes "
          + MapFileState.FORMAT + ", each card's status packed in 12 bytes)";
    }
    if (state.get().expectedCards() != file.expectedCards()) {
      return "the map was sized for " + state.get().expectedCards() + " cards, the configuration says " + file.expectedCards();
    }
    // A truncated file must never be mapped: touching pages past its end kills the JVM (SIGBUS).
    if (file.length() < state.get().fileBytes()) {
      return "the map file is shorter than when it was last written (" + file.length() + " < " + state.get().fileBytes() + " bytes)";
    }
    if (state.get().clean() && (state.get().fileBytes() != file.length() || state.get().checksum() != file.checksum())) {
      return "the map file changed after it was closed (checksum mismatch)";
    }
    return null;
  }

  private Future<MapLoad> warmStart(MapFileState state, long started) throws IOException {
    install(file.openExisting());
    file.writeState(state.opened(file.length(), session));
    return catchUp(state.position())
        .map(caughtUp -> new MapLoad(MapLoad.Mode.WARM, "the map file was closed cleanly", map.size(), 0, caughtUp.applied(), since(started)));
  }

  /**
   * A map a crash left open. After a crash of the process alone, the marks say which segments it
   * was writing: those are recovered, then the change log since the recorded position brings in
   * what the map missed (a torn entry is dropped by recovery and written again by the log, whose
   * rows after that position include every change the process had not finished writing). After
   * anything else (the host restarted, the map was still loading, the marks are not this file's)
   * the whole file is recovered and every card checked against PostgreSQL.
   */
  private Future<MapLoad> recover(MapFileState state, long started) throws IOException {
    Optional<SegmentWriteMarks.Left> left = SegmentWriteMarks.read(file.marksFile());
    String notProcessCrash = notAProcessCrash(state, left);
    if (notProcessCrash != null) {
      return recoverAndCheck(notProcessCrash, started);
    }
    List<Integer> writing = left.orElseThrow().writing();
    ChronicleMap<CardKey, CardStatus> opened = file.openExisting();
    if (opened.segments() != left.orElseThrow().segments()) {
      opened.close();
      return recoverAndCheck("its write marks are for " + left.orElseThrow().segments() + " segments, not "
          + opened.segments(), started);
    }
    ProcessCrashRecovery.Outcome outcome = ProcessCrashRecovery.recover(opened, writing);
    outcome.corruptions().forEach(corruption -> LOG.warn("map recovery: {}", corruption));
    String how;
    if (outcome.fullNeeded() == null) {
      how = "process crash: " + writing.size() + " of " + opened.segments() + " segments were being written and were recovered, "
          + outcome.locksReset() + " segment locks released";
    } else {
      opened.close();
      LOG.warn("map file {}: {}; recovering the whole file", file.path(), outcome.fullNeeded());
      opened = file.recoverExisting();
      how = "process crash: the whole file was recovered (" + outcome.fullNeeded() + ")";
    }
    LOG.info("map file {} was left by a crash of the node's process: {}; catching up from the change log", file.path(), how);
    install(opened);
    file.writeState(state.opened(file.length(), session));
    return catchUp(state.position()).map(caughtUp -> new MapLoad(MapLoad.Mode.RECOVERED, how, map.size(),
        outcome.corruptions().size(), caughtUp.applied(), since(started)));
  }

  /**
   * Why a map left open cannot be trusted beyond the segments its marks name; null when it can:
   * this boot's session opened it (the page cache kept every store), it was complete, and the marks
   * are that session's, for this very file.
   */
  private String notAProcessCrash(MapFileState state, Optional<SegmentWriteMarks.Left> left) throws IOException {
    if (!state.complete()) {
      return "it was still being loaded";
    }
    if (state.openedBy() == null) {
      return "its state records no session (written by an older version)";
    }
    Optional<String> boot = CardMapFile.bootId();
    if (boot.isEmpty()) {
      return "this system gives no boot id to tell a process crash from a host crash";
    }
    if (!state.openedBy().startsWith(boot.get() + "/")) {
      return "the host restarted since it was opened (pages not yet on disk may be lost)";
    }
    if (left.isEmpty()) {
      return "its segment write marks are missing or unreadable";
    }
    if (!state.openedBy().equals(CardMapFile.session(left.get().session()))) {
      return "its segment write marks are of another session";
    }
    long identity = file.identityHash();
    if (identity == 0 || left.get().mapFile() != identity) {
      return "the map file is not the one the marks were written for (replaced or restored from a copy)";
    }
    return null;
  }

  private Future<MapLoad> recoverAndCheck(String why, long started) throws IOException {
    LOG.warn("map file {} was not closed cleanly and {}: recovering it, then checking it against PostgreSQL", file.path(), why);
    install(file.recoverExisting());
    file.writeState(MapFileState.loading(file.expectedCards(), file.length(), identity, session));
    return fill(true).compose(filled -> {
      if (map.size() > filled.rows()) {
        // Entries PostgreSQL does not know can only come from damage: start over.
        closeQuietly();
        return rebuild("the recovered map holds " + (map.size()) + " entries for " + filled.rows() + " cards", started);
      }
      return catchUp(filled.position()).map(caughtUp -> new MapLoad(MapLoad.Mode.RECOVERED,
          "the map file was not closed cleanly and " + why, map.size(), filled.changed(), caughtUp.applied(), since(started)));
    });
  }

  /** Puts an opened map in service with a new write-marks session beside it. */
  private void install(ChronicleMap<CardKey, CardStatus> opened) throws IOException {
    marks = SegmentWriteMarks.start(file.marksFile(), opened.segments(), file.identityHash());
    session = CardMapFile.session(marks.session());
    map.install(opened, marks);
  }

  private Future<MapLoad> rebuild(String why, long started) {
    LOG.info("building the card map from PostgreSQL: {}", why);
    try {
      closeQuietly();
      install(file.createFresh());
      file.writeState(MapFileState.loading(file.expectedCards(), file.length(), identity, session));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return fill(false).compose(filled -> catchUp(filled.position())
        .map(caughtUp -> new MapLoad(MapLoad.Mode.REBUILT, why, map.size(), filled.changed(), caughtUp.applied(), since(started))));
  }

  private Future<MapLoad> finish(MapLoad load) {
    map.markReady();
    LOG.info("card map ready: {} ({}), {} entries, {} repaired, {} caught up from the change log, in {} ms",
        load.mode(), load.why(), load.entries(), load.repaired(), load.caughtUp(), load.took().toMillis());
    return Future.succeededFuture(load);
  }

  record Filled(long rows, long changed, LogPosition position) {}

  record CaughtUp(long applied, LogPosition position) {}

  /**
   * Streams every card from one snapshot into the map. Entries already at the same or a newer
   * version are left alone, so status changes applied meanwhile are never undone.
   */
  private Future<Filled> fill(boolean checking) {
    CardKey key = new CardKey();
    CardStatus status = new CardStatus();
    long[] counts = new long[2];
    return inSnapshot(connection -> position(connection).compose(position ->
        stream(connection, CardStatusSql.ALL_CARDS, Tuple.tuple(), row -> {
          counts[0]++;
          if (map.applyIfNewer(key.set(CardStatusRows.card(row)), CardStatusRows.read(row, status))) {
            counts[1]++;
          }
          if (counts[0] % 1_000_000 == 0) {
            LOG.info("{} the card map: {} cards", checking ? "checking" : "building", counts[0]);
          }
        }).map(done -> new Filled(counts[0], checking ? counts[1] : 0, position))));
  }

  /** Applies the change-log rows the map may have missed since {@code from}, and records the new position. */
  Future<CaughtUp> catchUp(LogPosition from) {
    CardKey key = new CardKey();
    CardStatus status = new CardStatus();
    long[] applied = new long[1];
    return inSnapshot(connection -> position(connection).compose(position ->
        stream(connection, CardStatusSql.LOG_SINCE, Tuple.of(from.version(), Long.toString(from.xmin())), row -> {
          if (map.applyIfNewer(key.set(CardStatusRows.card(row)), CardStatusRows.read(row, status))) {
            applied[0]++;
          }
        }).map(done -> new CaughtUp(applied[0], position))))
        .compose(caughtUp -> recordPosition(caughtUp.position()).map(caughtUp));
  }

  /** Catches up from the position the map state records (fan-out resyncs and the periodic safety net). */
  Future<CaughtUp> catchUpFromRecordedPosition() {
    return catchUp(file.readState().map(MapFileState::position).orElse(LogPosition.START));
  }

  private Future<Void> recordPosition(LogPosition position) {
    try {
      MapFileState state = file.readState().orElse(MapFileState.loading(file.expectedCards(), file.length(), identity, session));
      file.writeState(state.at(position).opened(file.length(), session));
      return Future.succeededFuture();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Closes the map on an orderly stop. Only a fully loaded map is marked clean (the next start is
   * then warm); one closed while still loading stays unclean, so the next start checks it
   * against PostgreSQL instead of trusting a half-built file.
   */
  void close() throws IOException {
    boolean loaded = map.ready();
    ChronicleMap<CardKey, CardStatus> current = map.detach();
    if (current == null) {
      return;
    }
    current.close();
    marks.close();
    if (!loaded) {
      LOG.warn("card map closed before loading finished; the next start checks it against PostgreSQL");
      return;
    }
    MapFileState state = file.readState().orElseThrow(() -> new IOException("map state vanished"));
    file.writeState(state.closed(file.length(), file.checksum()));
  }

  private void closeQuietly() {
    ChronicleMap<CardKey, CardStatus> current = map.detach();
    if (current != null) {
      current.close();
    }
  }

  private <T> Future<T> inSnapshot(Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(connection -> connection.begin().compose(transaction ->
        connection.query(CardStatusSql.REPEATABLE_READ).execute()
            .compose(set -> work.apply(connection))
            .compose(result -> transaction.commit().map(result),
                failure -> transaction.rollback().transform(ignored -> Future.failedFuture(failure)))));
  }

  private static Future<LogPosition> position(SqlConnection connection) {
    return connection.query(CardStatusSql.LOG_POSITION).execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new LogPosition(row.getLong(0), row.getLong(1));
        });
  }

  private Future<Void> stream(SqlConnection connection, String sql, Tuple arguments, java.util.function.Consumer<Row> perRow) {
    return connection.prepare(sql).compose(statement -> {
      Cursor cursor = statement.cursor(arguments);
      Promise<Void> done = Promise.promise();
      readBatches(cursor, perRow, done);
      return done.future().eventually(() -> cursor.close().eventually(statement::close));
    });
  }

  private void readBatches(Cursor cursor, java.util.function.Consumer<Row> perRow, Promise<Void> done) {
    cursor.read(fetchRows).onComplete(batch -> {
      if (batch.failed()) {
        done.fail(batch.cause());
        return;
      }
      try {
        batch.result().forEach(perRow);
      } catch (RuntimeException e) {
        done.fail(e);
        return;
      }
      if (cursor.hasMore()) {
        readBatches(cursor, perRow, done);
      } else {
        done.complete();
      }
    });
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
