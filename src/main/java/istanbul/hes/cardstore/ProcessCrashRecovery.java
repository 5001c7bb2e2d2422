package istanbul.hes.cardstore;

import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.hash.ChronicleHashCorruption;
import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleHashCorruptionImpl;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.VanillaChronicleMap;
import net.openhft.chronicle.map.impl.CompiledMapIterationContext;

/**
 * Recovers a map file a killed process left, touching only what the crash can have left wrong.
 * Chronicle's own recovery ({@code recoverPersistedTo}) re-hashes and re-reads every entry of
 * every segment: 14 to 17 s at 34 million cards. After a process crash (the host kept running, so
 * the page cache holds every store the process made) only two things can be wrong: segment locks
 * the dead process held, and entries of the segments it was writing, which {@link
 * SegmentWriteMarks} names. This resets every segment's lock and runs Chronicle's per-tier
 * recovery (the same {@code recoverTier} and {@code removeDuplicatesInSegment} its full recovery
 * runs for each segment) on the marked segments only; a torn entry fails its checksum and is
 * dropped, and the change-log catch-up that follows writes its card again.
 *
 * <p>Chronicle's full recovery also repairs the extra tiers a segment grows when it overflows and
 * the global state that allocates them, which a crash during an allocation can leave locked or
 * half-linked. A map with extra tiers, or a marked segment full enough to have been allocating one,
 * is not recovered here: {@link #recover} says so and the caller runs the full recovery.
 *
 * <p>This uses Chronicle Map's implementation classes (public, but not its stable API), so a new
 * Chronicle version is taken only with {@code ProcessCrashRecoveryTest} passing.
 */
final class ProcessCrashRecovery {
  /** What was done, or why this map needs Chronicle's full recovery instead ({@code fullNeeded} not null). */
  record Outcome(int locksReset, int segmentsRecovered, List<String> corruptions, String fullNeeded) {}

  private ProcessCrashRecovery() {}

  /**
   * Resets all segment locks and recovers the {@code writing} segments of {@code map}, which was
   * opened without recovery from a file a crashed process left. Nothing else may use the map
   * meanwhile.
   */
  static Outcome recover(ChronicleMap<CardKey, CardStatus> map, List<Integer> writing) {
    VanillaChronicleHash<?, ?, ?, ?> hash = (VanillaChronicleHash<?, ?, ?, ?>) map;
    if (hash.hasExtraTierBulks() || hash.globalMutableState().getExtraTiersInUse() != 0) {
      return new Outcome(0, 0, List.of(), "the map has grown extra tiers (more cards than it was sized for)");
    }
    List<String> corruptions = new ArrayList<>();
    ChronicleHashCorruption.Listener listener = corruption -> corruptions.add(corruption.message());
    ChronicleHashCorruptionImpl corruption = new ChronicleHashCorruptionImpl();
    int locksReset = 0;
    try (CompiledMapIterationContext<?, ?, ?> context =
        (CompiledMapIterationContext<?, ?, ?>) ((VanillaChronicleMap<?, ?, ?>) map).iterationContext()) {
      for (int segment = 0; segment < hash.actualSegments; segment++) {
        context.initSegmentIndex(segment);
        long lockState = context.segmentHeader().getLockState(context.segmentHeaderAddress());
        if (lockState != context.segmentHeader().resetLockState()) {
          context.segmentHeader().resetLock(context.segmentHeaderAddress());
          locksReset++;
        }
      }
      for (int segment : writing) {
        context.initSegmentIndex(segment);
        context.recoverTier(segment, listener, corruption);
        context.initSegmentTier();
        context.removeDuplicatesInSegment(listener, corruption);
        long entries = context.tierEntries();
        if (entries >= hash.maxEntriesPerHashLookup - 1 || entries >= hash.actualChunksPerSegmentTier - 1) {
          return new Outcome(locksReset, writing.size(), corruptions,
              "segment " + segment + " was being written while full (" + entries + " entries): it may have been growing a tier");
        }
      }
    }
    return new Outcome(locksReset, writing.size(), List.copyOf(corruptions), null);
  }
}
