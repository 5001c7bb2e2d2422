package istanbul.hes.cardstore;

import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.RulePhases;
import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.tap.TapDecider;
import istanbul.hes.tap.TapOutcome;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread lookups of random existing cards in a persisted card status map of
 * {@code cards} entries (default: all of Istanbul's), through the tap path's own call
 * ({@link CardStatusMap#lookup} with a reused {@link CardKey} and {@link CardStatus}). Run with
 * {@code -prof gc} to see the allocation per lookup (expected: ~0 B/op).
 *
 * <p>The map is built with the node's own builder settings ({@link CardMapFile#builder}) from the
 * {@link DemoPopulation}, once, into {@code mapDir} (default: the system temp folder), and reused
 * by later runs with the same {@code cards}. Everything is fixed: the population, the probes (a
 * seeded random) and the taps' date, so two runs measure the same work whatever the day. Three
 * forks of 5 warm-up and 5 measured iterations each; {@code card-map-benchmark.sh} prints every
 * iteration and the medians ({@code JmhRounds}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
@Threads(1)
public class CardMapLookupBenchmark {
  private static final int PROBES = 1 << 20;

  @Param("34260087")
  public long cards;

  @Param("")
  public String mapDir;

  private ChronicleMap<CardKey, CardStatus> chronicle;
  private CardStatusMap map;
  private long[] probes;
  private int next;
  private int today;
  private final CardKey key = new CardKey();
  private final CardStatus status = new CardStatus();

  @Setup(Level.Trial)
  public void open() throws IOException {
    Path dir = Path.of(mapDir.isEmpty() ? System.getProperty("java.io.tmpdir") : mapDir, "hes-card-map-bench");
    Files.createDirectories(dir);
    // Named by the entries' format: a map written by an earlier one is never read as this one.
    File file = dir.resolve("cards-" + cards + "-format" + MapFileState.FORMAT + ".map").toFile();
    if (file.exists()) {
      chronicle = CardMapFile.builder(cards).createPersistedTo(file);
      if (chronicle.longSize() != cards) {
        chronicle.close();
        Files.delete(file.toPath());
      }
    }
    if (!file.exists()) {
      chronicle = CardMapFile.builder(cards).createPersistedTo(file);
      fill(chronicle, cards);
    }
    // The size per entry the map reserves (issue 16's bound is 32 bytes), printed once per fork.
    System.out.printf("%n(map of %,d cards: %,d bytes off-heap = %.1f bytes per card; file %,d bytes = %.1f bytes per card)%n", cards,
        chronicle.offHeapMemoryUsed(), chronicle.offHeapMemoryUsed() / (double) cards, file.length(), file.length() / (double) cards);
    map = new CardStatusMap();
    map.install(chronicle);
    map.markReady();

    SplittableRandom random = new SplittableRandom(42);
    probes = new long[PROBES];
    for (int i = 0; i < PROBES; i++) {
      probes[i] = DemoPopulation.cardNumber(random.nextLong(cards));
    }
    today = (int) LocalDate.ofInstant(Instant.ofEpochMilli(TAP_MILLIS), ISTANBUL).toEpochDay();
  }

  private static void fill(ChronicleMap<CardKey, CardStatus> chronicle, long cards) {
    long started = System.nanoTime();
    CardKey key = new CardKey();
    CardStatus status = new CardStatus();
    for (long i = 0; i < cards; i++) {
      DemoPopulation.HesState hes = DemoPopulation.hes(i);
      status.set(1, DemoPopulation.personalized(i), DemoPopulation.blocked(i), hes != DemoPopulation.HesState.NONE,
          hes == DemoPopulation.HesState.NONE ? CardStatus.NO_EXPIRY : (int) DemoPopulation.hesExpiresOnDay(i),
          DemoPopulation.risky(i));
      chronicle.put(key.set(DemoPopulation.cardNumber(i)), status);
    }
    System.out.printf("%n(built a map of %,d cards in %.1f s)%n", cards, (System.nanoTime() - started) / 1e9);
  }

  @TearDown(Level.Trial)
  public void close() {
    chronicle.close();
  }

  /** The map read alone: returns the expiry day so the lookup cannot be optimized away. */
  @Benchmark
  public int lookup() {
    long card = probes[next++ & (PROBES - 1)];
    return map.lookup(card, key, status) ? status.hesExpiresOnDay() : -1;
  }

  /** What a tap does between parsing and writing the answer: the lookup, the phases of its date and the decision. */
  @Benchmark
  public TapOutcome lookupAndDecide() {
    long card = probes[next++ & (PROBES - 1)];
    boolean known = map.lookup(card, key, status);
    return TapDecider.decide(known, status, today, phases.modesAt(TAP_MILLIS));
  }

  /** The first stage, switched once (so a tap's date is compared with a switch time, as in service). */
  private final RulePhases phases = phasesSwitchedOnce();
  /** The taps' moment, fixed (2026-05-28 in Istanbul): which HES codes have expired must not depend on the day of the run. */
  private static final long TAP_MILLIS = 1_780_000_000_000L;
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");

  private static RulePhases phasesSwitchedOnce() {
    RulePhases.Modes enforced = new RulePhases.Modes(RuleMode.ENFORCE, RuleMode.ENFORCE);
    RulePhases phases = new RulePhases(enforced);
    phases.set(enforced, new RulePhases.Modes(RuleMode.MONITOR, RuleMode.ENFORCE), TAP_MILLIS - 86_400_000L, Long.MIN_VALUE);
    return phases;
  }
}
