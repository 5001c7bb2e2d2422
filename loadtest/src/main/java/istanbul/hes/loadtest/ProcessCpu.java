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
 * counts only when it runs as a child of this JVM (its time arrives when it ends), or when both
 * snapshots are taken while it runs (the window mode below). On a machine without {@code /proc}
 * the snapshot is empty and the report says so.
 *
 * <p>For the shell scripts: {@code java … ProcessCpu window DELAY SPAN METRICS_URL [COUNTER UNIT]}
 * waits until the node's COUNTER (default {@code gateway_taps_total}, unit "tap") moves by more
 * than 50 in a second (the run has started), DELAY seconds more, then prints the CPU per unit of
 * every kind of process over the next SPAN seconds.
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
    String commandLine = comm.equals("java") ? Files.readString(process.resolve("cmdline")) : "";
    // The kit jar may be any file (HES_KIT_JAR): its command says what the process is.
    if (commandLine.contains("\0simulator\0") || commandLine.contains("\0demo-health\0")) {
      return "ministry simulator";
    }
    if (pid == SELF || commandLine.contains("hes-gateway") || commandLine.contains("\0demo\0") || commandLine.contains("\0node\0")) {
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
    if (commandLine.contains("gatling")) {
      return "Gatling";
    }
    return "other";
  }

  public static void main(String[] args) throws Exception {
    if ((args.length != 4 && args.length != 6) || !args[0].equals("window")) {
      System.err.println("usage: ProcessCpu window DELAY_SECONDS SPAN_SECONDS METRICS_URL [COUNTER UNIT]");
      System.exit(2);
    }
    String counter = args.length == 6 ? args[4] : "gateway_taps_total";
    String unit = args.length == 6 ? args[5] : "tap";
    // The run starts when the work does (a Gatling run first starts its JVM and compiles): at most 2 minutes.
    double previous = count(args[3], counter);
    for (int second = 0; second < 120; second++) {
      Thread.sleep(1000);
      double now = count(args[3], counter);
      if (now - previous > 50) {
        break;
      }
      previous = now;
    }
    Thread.sleep(Long.parseLong(args[1]) * 1000);
    ProcessCpu before = snapshot();
    double countBefore = count(args[3], counter);
    Thread.sleep(Long.parseLong(args[2]) * 1000);
    ProcessCpu after = snapshot();
    double units = count(args[3], counter) - countBefore;
    StringBuilder line = new StringBuilder(String.format("CPU per %s over %s s (%,.0f):", unit, args[2], units));
    for (String kind : after.kinds()) {
      line.append(String.format(" %s %.1f µs,", kind, after.secondsSince(before, kind) * 1e6 / Math.max(1, units)));
    }
    System.out.println(line.append(String.format(" %.2f cores busy", after.coresSince(before))));
  }

  /** The sum of a counter's samples in a node's scrape. */
  private static double count(String metricsUrl, String counter) throws Exception {
    String scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metricsUrl))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    java.util.regex.Matcher sample = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(counter)
        + "(\\{[^}]*\\})? (\\S+)$").matcher(scrape);
    double sum = 0;
    while (sample.find()) {
      sum += Double.parseDouble(sample.group(2));
    }
    return sum;
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
