package istanbul.hes.demo;

import istanbul.hes.config.DatabaseConfig;
import istanbul.hes.config.SecurityConfig;
import istanbul.hes.db.Database;
import istanbul.hes.demo.DemoPopulation.HesState;
import istanbul.hes.demo.DemoPopulation.Profile;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes the {@link DemoPopulation} into PostgreSQL with binary COPY, in one transaction:
 * truncate, then chunks of cards generated on worker threads (the encryption is the costly part)
 * while this thread streams the previous chunk to the server. The cards' decision columns are
 * written as {@code CardStatusSql.RECOMPUTE} derives them from the rows written beside them
 * (status_version 0, no log rows), so the map the node builds agrees with a recomputation.
 *
 * <p>Speed: card numbers ascend with the index, so every primary key fills in order; the tables
 * are truncated in the same transaction, so COPY may FREEZE (no later hint-bit rewrite of
 * gigabytes); as a superuser the foreign-key triggers are skipped (session_replication_role),
 * the rows being consistent by construction. This is a command-line tool on its own thread: JDBC
 * is the right client here.
 */
final class PopulationLoader {
  /** The tables the population fills, emptied together before a new one is written. */
  static final String TRUNCATE =
      "TRUNCATE cards, owners, hes_links, person_risk, card_blocks, card_status_log, statistics_card_deltas, "
          + "statistics_day_cards, statistics_day_counts, statistics_month_cards, statistics_compacted_days, statistics_day_taps, "
          + "statistics_day_population CASCADE; "
          // A new population numbers its cards from 0 again (card i gets index i): the statistics of
          // the one it replaces, which name cards by index, went with it.
          + "ALTER SEQUENCE card_index_seq RESTART";

  private static final String COPY_OWNERS = "COPY owners (owner_id, identity_hash, identity_kind, identity_enc, nationality, "
      + "first_name_enc, last_name_enc, phone_enc, birth_year, identity_hash_key) FROM STDIN WITH (FORMAT binary, FREEZE)";
  private static final String COPY_RISK =
      "COPY person_risk (identity_hash, risky, source, identity_hash_key) FROM STDIN WITH (FORMAT binary, FREEZE)";
  private static final String COPY_CARDS = "COPY cards (card_no, owner_id, kind, blocked, hes_linked, hes_expires_on, risky, "
      + "status_version) FROM STDIN WITH (FORMAT binary, FREEZE)";
  private static final String COPY_HES = "COPY hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, "
      + "ministry_status, hes_code_hash_key) FROM STDIN WITH (FORMAT binary, FREEZE)";
  private static final String COPY_BLOCKS = "COPY card_blocks (card_no, reason, blocked_by) FROM STDIN WITH (FORMAT binary, FREEZE)";

  private static final byte[] PERSONALIZED = bytes("PERSONALIZED");
  private static final byte[] ANONYMOUS = bytes("ANONYMOUS");
  private static final byte[] TCKN = bytes("TCKN");
  private static final byte[] PASSPORT = bytes("PASSPORT");
  private static final byte[] RISKY = bytes("RISKY");
  private static final byte[] RISKLESS = bytes("RISKLESS");
  private static final byte[] DEMO = bytes("DEMO");
  private static final byte[] BLOCKED_BY = bytes("demo");

  static final int CHUNK_CARDS = 100_000;

  private final DatabaseConfig database;
  private final SecurityConfig keys;
  private final int threads;

  PopulationLoader(DatabaseConfig database, SecurityConfig keys, int threads) {
    this.database = database;
    this.keys = keys;
    this.threads = Math.max(1, threads);
  }

  /** What was written. */
  record Summary(long cards, long owners, long hesLinks, long riskRows, long blocks, Map<Profile, Long> profiles, long millis) {}

  static Connection connect(DatabaseConfig database) throws SQLException {
    PgConnectOptions options = Database.connectOptions(database);
    return DriverManager.getConnection(Database.jdbcUrl(database), options.getUser(), options.getPassword());
  }

  /** Cards in the table, or -1 when the check that it is this population fails. */
  static long existingCards(DatabaseConfig database, long wanted) throws SQLException {
    try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
      long count;
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM cards")) {
        rows.next();
        count = rows.getLong(1);
      }
      if (count != wanted || count == 0) {
        return count;
      }
      // Same size: also the same numbering (first and last card of this generator).
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM cards WHERE card_no IN ("
          + DemoPopulation.cardNumber(0) + ", " + DemoPopulation.cardNumber(wanted - 1) + ")")) {
        rows.next();
        return rows.getLong(1) == 2 ? count : -1;
      }
    }
  }

  /**
   * Replaces the population with {@code cards} generated cards.
   *
   * @param progress called with the number of cards written so far, after each chunk
   */
  Summary load(long cards, LongConsumer progress) throws SQLException, InterruptedException {
    if (cards < 1 || cards > DemoPopulation.MAX_CARDS) {
      throw new IllegalArgumentException("cards must be between 1 and " + DemoPopulation.MAX_CARDS);
    }
    BulkProtector.verifiedAgainst(keys);
    long started = System.nanoTime();
    ThreadLocal<BulkProtector> protectors = ThreadLocal.withInitial(() -> new BulkProtector(keys));
    ExecutorService generators = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "demo-generator");
      thread.setDaemon(true);
      return thread;
    });
    long[] totals = new long[5];
    Map<Profile, Long> profiles = new EnumMap<>(Profile.class);
    try (Connection connection = connect(database)) {
      connection.setAutoCommit(false);
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL synchronous_commit = off");
        statement.execute("SET LOCAL maintenance_work_mem = '256MB'");
        if (superuser(statement)) {
          statement.execute("SET LOCAL session_replication_role = replica");
        }
        statement.execute(TRUNCATE);
      }
      ArrayDeque<Future<Chunk>> pending = new ArrayDeque<>();
      long next = 0;
      long written = 0;
      while (written < cards) {
        while (next < cards && pending.size() < threads + 2) {
          long from = next;
          long to = Math.min(cards, from + CHUNK_CARDS);
          pending.add(generators.submit(() -> generate(from, to, protectors.get())));
          next = to;
        }
        Chunk chunk = take(pending.poll());
        // Parents before children: with foreign-key checks on, rows must find their parents.
        write(copy, COPY_OWNERS, chunk.owners);
        write(copy, COPY_RISK, chunk.risk);
        write(copy, COPY_CARDS, chunk.cards);
        write(copy, COPY_HES, chunk.hesLinks);
        write(copy, COPY_BLOCKS, chunk.blocks);
        totals[0] += chunk.cards.rows();
        totals[1] += chunk.owners.rows();
        totals[2] += chunk.hesLinks.rows();
        totals[3] += chunk.risk.rows();
        totals[4] += chunk.blocks.rows();
        for (Profile profile : Profile.values()) {
          profiles.merge(profile, chunk.profiles[profile.ordinal()], Long::sum);
        }
        written = chunk.to;
        progress.accept(written);
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT setval(pg_get_serial_sequence('owners', 'owner_id'), coalesce(max(owner_id), 0) + 1, false) FROM owners");
      }
      connection.commit();
      try (Statement statement = connection.createStatement()) {
        connection.setAutoCommit(true);
        statement.execute("ANALYZE cards, owners, hes_links, person_risk, card_blocks");
      }
    } finally {
      generators.shutdownNow();
    }
    return new Summary(totals[0], totals[1], totals[2], totals[3], totals[4], profiles, (System.nanoTime() - started) / 1_000_000);
  }

  private static boolean superuser(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      return rows.next() && rows.getBoolean(1);
    }
  }

  private static void write(CopyManager copy, String sql, BinaryCopy data) throws SQLException {
    if (data.rows() == 0) {
      return;
    }
    CopyIn in = copy.copyIn(sql);
    try {
      in.writeToCopy(data.array(), 0, data.length());
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static Chunk take(Future<Chunk> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("generating the population failed", e.getCause());
    }
  }

  /** The rows of cards [from, to) for each table. */
  record Chunk(long from, long to, BinaryCopy owners, BinaryCopy risk, BinaryCopy cards, BinaryCopy hesLinks,
      BinaryCopy blocks, long[] profiles) {}

  static Chunk generate(long from, long to, BulkProtector protector) {
    int size = (int) (to - from);
    BinaryCopy owners = new BinaryCopy(size * 90);
    BinaryCopy risk = new BinaryCopy(size);
    BinaryCopy cards = new BinaryCopy(size * 72);
    BinaryCopy hesLinks = new BinaryCopy(size * 30);
    BinaryCopy blocks = new BinaryCopy(size / 4);
    long[] profiles = new long[Profile.values().length];
    for (long i = from; i < to; i++) {
      long card = DemoPopulation.cardNumber(i);
      boolean personalized = DemoPopulation.personalized(i);
      boolean blocked = DemoPopulation.blocked(i);
      boolean risky = DemoPopulation.risky(i);
      HesState hes = DemoPopulation.hes(i);
      long expiresOnDay = hes == HesState.NONE ? 0 : DemoPopulation.hesExpiresOnDay(i);
      profiles[DemoPopulation.profile(i).ordinal()]++;

      if (personalized) {
        boolean foreigner = DemoPopulation.foreigner(i);
        String identity;
        String identityValue;
        String nationality = null;
        if (foreigner) {
          nationality = DemoPopulation.nationality(i);
          identityValue = DemoPopulation.passportNumber(i);
          identity = ProtectedValues.passportIdentity(nationality, identityValue);
        } else {
          identityValue = DemoPopulation.tckn(i);
          identity = ProtectedValues.tcknIdentity(identityValue);
        }
        byte[] identityHash = protector.hash(ProtectedValues.IDENTITY_PURPOSE, identity);
        owners.row(10)
            .int64(DemoPopulation.ownerId(i))
            .bytes(identityHash)
            .textBytes(foreigner ? PASSPORT : TCKN)
            .bytes(protector.encrypt(identityValue));
        if (foreigner) {
          owners.text(nationality);
        } else {
          owners.nullValue();
        }
        owners.bytes(protector.encrypt(DemoPopulation.firstName(i)))
            .bytes(protector.encrypt(DemoPopulation.lastName(i)))
            .bytes(protector.encrypt(DemoPopulation.phone(i)))
            .int16Field(DemoPopulation.birthYear(i))
            .int16Field(protector.hashKeyId());
        if (risky || DemoPopulation.cleared(i)) {
          risk.row(4).bytes(identityHash).bool(risky).textBytes(DEMO).int16Field(protector.hashKeyId());
        }
        if (hes != HesState.NONE) {
          String code = DemoPopulation.hesCode(i);
          hesLinks.row(7)
              .int64(card)
              .bytes(protector.hash(ProtectedValues.HES_CODE_PURPOSE, code))
              .bytes(protector.encrypt(code))
              .text(ProtectedValues.hesCodePrefix(code))
              .date(expiresOnDay)
              .textBytes(risky ? RISKY : RISKLESS)
              .int16Field(protector.hashKeyId());
        }
      }

      // Exactly what CardStatusSql.RECOMPUTE derives from the rows above.
      cards.row(8).int64(card);
      if (personalized) {
        cards.int64(DemoPopulation.ownerId(i)).textBytes(PERSONALIZED);
      } else {
        cards.nullValue().textBytes(ANONYMOUS);
      }
      cards.bool(blocked).bool(hes != HesState.NONE);
      if (hes != HesState.NONE) {
        cards.date(expiresOnDay);
      } else {
        cards.nullValue();
      }
      cards.bool(risky).int64(0);

      if (blocked) {
        blocks.row(3).int64(card).text(DemoPopulation.blockReason(i)).textBytes(BLOCKED_BY);
      }
    }
    return new Chunk(from, to, owners.finish(), risk.finish(), cards.finish(), hesLinks.finish(), blocks.finish(), profiles);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
