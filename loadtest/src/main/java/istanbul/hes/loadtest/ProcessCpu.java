package istanbul.hes.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of every process on the machine, by kind (this JVM, PostgreSQL, wrk, Gatling's JVM,
 * Redis, everything else), from {@code /proc/<pid>/stat}: a snapshot before a run and one after
 * give the CPU each side spent on it, the profile that says where a benchmark's cores went. wrk
 * counts only when it runs as a child of this JVM (its time arrives when it ends). On a machine
 * without {@code /proc} the snapshot is empty and the report says so.
 */
final class ProcessCpu {
  /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;
  private static final long SELF = ProcessHandle.current().pid();

  private final Map<String, Long> ticksByKind;
  private final long takenNanos;

  private ProcessCpu(Map<String, Long> ticksByKind, long takenNanos) {
    this.ticksByKind = ticksByKind;
    this.takenNanos = takenNanos;
  }

  /** The CPU ticks every process has spent so far, summed by kind (a process that ended meanwhile drops out). */
  static ProcessCpu snapshot() {
    Map<String, Long> ticks = new TreeMap<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(path -> {
        try {
          String stat = Files.readString(path.resolve("stat"));
          // comm is in parentheses and may hold spaces: the fields after it start past the last ')'.
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long pid = Long.parseLong(path.getFileName().toString());
          long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          ticks.merge(kind(pid, comm, path), used, Long::sum);
          if (pid == SELF) {
            // wrk runs as a child of this JVM and ends before the snapshot after it: its time is in
            // the children's time this JVM collected when it ended.
            ticks.merge("wrk", Long.parseLong(fields[13]) + Long.parseLong(fields[14]), Long::sum);
          }
        } catch (IOException | RuntimeException gone) {
          // The process ended between the listing and the read.
        }
      });
    } catch (IOException e) {
      return new ProcessCpu(Map.of(), System.nanoTime());
    }
    return new ProcessCpu(ticks, System.nanoTime());
  }

  private static String kind(long pid, String comm, Path process) throws IOException {
    if (pid == SELF) {
      return "node JVM";
    }
    if (comm.startsWith("postgres") || comm.equals("postmaster")) {
      return "PostgreSQL";
    }
    if (comm.startsWith("wrk")) {
      return "wrk";
    }
    if (comm.startsWith("redis")) {
      return "Redis";
    }
    if (comm.equals("java") && Files.readString(process.resolve("cmdline")).contains("gatling")) {
      return "Gatling";
    }
    return "other";
  }

  /** The kinds of process this snapshot saw ("PostgreSQL", "wrk", …). */
  java.util.Set<String> kinds() {
    return ticksByKind.keySet();
  }

  /** CPU seconds {@code kind} spent between {@code before} and this snapshot (0 for a kind not seen; NaN without /proc). */
  double secondsSince(ProcessCpu before, String kind) {
    if (ticksByKind.isEmpty()) {
      return Double.NaN;
    }
    return Math.max(0, ticksByKind.getOrDefault(kind, 0L) - before.ticksByKind.getOrDefault(kind, 0L)) / TICKS_PER_SECOND;
  }

  /** Cores busy in all between {@code before} and this snapshot (NaN without /proc). */
  double coresSince(ProcessCpu before) {
    double seconds = 0;
    for (String kind : ticksByKind.keySet()) {
      seconds += secondsSince(before, kind);
    }
    return ticksByKind.isEmpty() ? Double.NaN : seconds / ((takenNanos - before.takenNanos) / 1e9);
  }
}
