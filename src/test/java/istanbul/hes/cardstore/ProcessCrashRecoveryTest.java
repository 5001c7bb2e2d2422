package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery after a process crash: a process writing the map is killed with SIGKILL at random
 * moments; recovering only the segments its marks name (and releasing every lock) must leave
 * nothing for Chronicle's own full recovery to repair, where the same file without it has locks
 * or entries to repair. A torn entry in a marked segment is dropped.
 */
class ProcessCrashRecoveryTest {
  private static final int CARDS = 200_000;
  private static final int KILLS_WITH_MARKS = 3;
  private static final int MAX_KILLS = 30;
  private static final Pattern LOW_FREE_CHUNK_HINT = Pattern.compile("^wrong lowest free chunk .* stored: (\\d+), should be: (\\d+)$");

  @TempDir
  Path directory;

  @Test
  void aKilledWriterLeavesOnlyItsMarkedSegmentsToRecover() throws Exception {
    Path mapPath = directory.resolve("cards.map");
    Path marksPath = directory.resolve("cards.map.writing");
    Random random = new Random(16);
    long nextRound = 1;
    int kills = 0;
    int withMarks = 0;
    int withSomethingToRepair = 0;
    while ((withMarks < KILLS_WITH_MARKS || withSomethingToRepair == 0) && kills < MAX_KILLS) {
      List<String> output = new CopyOnWriteArrayList<>();
      Writer started = startWriter(mapPath, nextRound, output);
      Process writer = started.process();
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
            .until(() -> !output.isEmpty() || !writer.isAlive());
        assertThat(writer.isAlive()).as("writer started: %s", output).isTrue();
        // A random moment of the writing: most land inside some entry's write.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(40)));
      } finally {
        writer.destroyForcibly();
        writer.waitFor(30, TimeUnit.SECONDS);
        // Every line the writer printed before it died, not only those read so far.
        started.output().join(TimeUnit.SECONDS.toMillis(30));
      }
      kills++;
      SegmentWriteMarks.Left left = SegmentWriteMarks.read(marksPath).orElseThrow();
      if (!left.writing().isEmpty()) {
        withMarks++;
        // The control: as the crash left it, the file has something for Chronicle to repair (a
        // lock held, an entry half written), unless the kill came after the writer's context
        // closed and before it took its mark off.
        if (!fullRecoveryFindings(mapPath).isEmpty()) {
          withSomethingToRepair++;
        }
      }

      long newest;
      try (ChronicleMap<CardKey, CardStatus> map = CardMapFile.builder(CARDS).createPersistedTo(mapPath.toFile())) {
        ProcessCrashRecovery.Outcome outcome = ProcessCrashRecovery.recover(map, left.writing());
        assertThat(outcome.fullNeeded()).isNull();
        assertThat(outcome.segmentsRecovered()).isEqualTo(left.writing().size());
        newest = assertEveryEntryIsOneTheWriterWrote(map, nextRound, output);
      }
      assertThat(fullRecoveryFindings(mapPath)).as("kill %d: what Chronicle's full recovery still finds", kills).isEmpty();
      nextRound = newest + 1;
    }
    assertThat(withMarks).as("kills that landed while a segment was being written, of %d", kills).isGreaterThanOrEqualTo(KILLS_WITH_MARKS);
    assertThat(withSomethingToRepair).as("kills that left something for Chronicle's recovery to repair, of %d", kills).isPositive();
  }

  @Test
  void aTornEntryInAMarkedSegmentIsDroppedAndTheOthersKept() throws Exception {
    Path mapPath = directory.resolve("torn.map");
    long torn = MapWriterProcess.FIRST_CARD + 77;
    int segment;
    try (ChronicleMap<CardKey, CardStatus> map = CardMapFile.builder(1_000).createPersistedTo(mapPath.toFile())) {
      for (int card = 0; card < 1_000; card++) {
        map.put(new CardKey(MapWriterProcess.FIRST_CARD + card), CardStatus.of(5, true, false, true, 20_000, false));
      }
      // Half a write: the value's bytes change, its checksum does not (what a kill mid-copy leaves).
      try (ExternalMapQueryContext<CardKey, CardStatus, ?> context = map.queryContext(new CardKey(torn))) {
        context.updateLock().lock();
        segment = context.segmentIndex();
        MapEntry<CardKey, CardStatus> entry = context.entry();
        Data<CardStatus> value = entry.value();
        BytesStore<?, ?> bytes = (BytesStore<?, ?>) value.bytes();
        bytes.writeByte(value.offset(), (byte) ~bytes.readByte(value.offset()));
      }
    }
    try (ChronicleMap<CardKey, CardStatus> map = CardMapFile.builder(1_000).createPersistedTo(mapPath.toFile())) {
      ProcessCrashRecovery.Outcome outcome = ProcessCrashRecovery.recover(map, List.of(segment));

      // The checksum finds the torn entry; dropping it corrects its tier's counters.
      assertThat(outcome.corruptions()).anyMatch(corruption -> corruption.startsWith("Checksum doesn't match"))
          .anyMatch(corruption -> corruption.startsWith("Wrong number of entries counter"));
      assertThat(map.containsKey(new CardKey(torn))).isFalse();
      assertThat(map.size()).isEqualTo(999);
      assertThat(map.get(new CardKey(MapWriterProcess.FIRST_CARD + 78)).version()).isEqualTo(5);
    }
  }

  @Test
  void aMapThatGrewExtraTiersIsLeftToChroniclesFullRecovery() throws Exception {
    Path mapPath = directory.resolve("grown.map");
    // Sized for 1,000 cards, given 1,400: segments overflow into extra tiers, whose allocation a
    // crash can leave half done; only Chronicle's full recovery repairs that.
    try (ChronicleMap<CardKey, CardStatus> map = CardMapFile.builder(1_000).createPersistedTo(mapPath.toFile())) {
      for (int card = 0; card < 1_400; card++) {
        map.put(new CardKey(MapWriterProcess.FIRST_CARD + card), CardStatus.of(1, false, false, false, 0, false));
      }
    }
    try (ChronicleMap<CardKey, CardStatus> map = CardMapFile.builder(1_000).createPersistedTo(mapPath.toFile())) {
      ProcessCrashRecovery.Outcome outcome = ProcessCrashRecovery.recover(map, List.of(0));

      assertThat(outcome.fullNeeded()).contains("extra tiers");
      assertThat(outcome.segmentsRecovered()).isZero();
    }
  }

  /**
   * Every card the map holds has a version some round of the writer wrote: at most one past the
   * newest round a thread finished (a thread dies inside its next one); the newest such version.
   */
  private static long assertEveryEntryIsOneTheWriterWrote(ChronicleMap<CardKey, CardStatus> map, long firstRound, List<String> output) {
    long lastPrinted = output.stream().mapToLong(line -> Long.parseLong(line.substring("round ".length()))).max().orElse(firstRound);
    CardKey key = new CardKey();
    CardStatus status = new CardStatus();
    long newest = 0;
    long present = 0;
    for (int card = 0; card < CARDS; card++) {
      if (map.getUsing(key.set(MapWriterProcess.FIRST_CARD + card), status) != null) {
        present++;
        long round = status.version();
        assertThat(round).as("card %d", card).isBetween(1L, lastPrinted + 1);
        assertThat(status.personalized()).as("card %d, round %d", card, round).isEqualTo(round % 2 == 0);
        assertThat(status.risky()).as("card %d, round %d", card, round).isEqualTo(round % 5 == 0);
        newest = Math.max(newest, round);
      }
    }
    assertThat(present).isEqualTo(map.longSize());
    return newest;
  }

  /**
   * What Chronicle's full recovery reports on a copy of the file (the file itself is left as it
   * is), less one finding a healthy map has too: a tier's lowest possibly free chunk below the
   * lowest free one (a lower bound the allocator searches on from; a hole filled again leaves it).
   */
  private List<String> fullRecoveryFindings(Path mapPath) throws Exception {
    Path copy = directory.resolve("copy.map");
    Files.copy(mapPath, copy, StandardCopyOption.REPLACE_EXISTING);
    List<String> findings = new ArrayList<>();
    try (ChronicleMap<CardKey, CardStatus> recovered = CardMapFile.builder(CARDS).recoverPersistedTo(copy.toFile(), true,
        corruption -> {
          Matcher hint = LOW_FREE_CHUNK_HINT.matcher(corruption.message());
          if (!hint.find() || Long.parseLong(hint.group(1)) >= Long.parseLong(hint.group(2))) {
            findings.add(corruption.message());
          }
        })) {
      assertThat(recovered.longSize()).isPositive();
    }
    Files.delete(copy);
    return findings;
  }

  private record Writer(Process process, Thread output) {}

  private static Writer startWriter(Path mapPath, long firstRound, List<String> output) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(argument -> argument.startsWith("--add-") || argument.startsWith("-Dchronicle")).forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MapWriterProcess.class.getName(),
        mapPath.toString(), Integer.toString(CARDS), Long.toString(firstRound)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.startsWith("round ")) {
            output.add(line);
          }
        }
      } catch (java.io.IOException ignored) {
        // the process was killed
      }
    }, "writer-output");
    reader.setDaemon(true);
    reader.start();
    return new Writer(process, reader);
  }
}
