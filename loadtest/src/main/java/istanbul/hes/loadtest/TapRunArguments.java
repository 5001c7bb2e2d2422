package istanbul.hes.loadtest;

import java.nio.file.Path;

/**
 * The arguments the tap benchmarks share: {@code [--cards N] [--duration SECONDS] [--rounds R]
 * [--data-dir DIR]}, checked, and wrk checked to be installed; a wrong one prints the usage and
 * exits 2.
 */
record TapRunArguments(long cards, int seconds, int rounds, Path dataDir) {
  static TapRunArguments parse(String[] args, String script, long defaultCards, int defaultRounds, Path defaultDataDir) {
    long cards = defaultCards;
    int seconds = 10;
    int rounds = defaultRounds;
    Path dataDir = defaultDataDir;
    String usage = "usage: " + script + " [--cards N] [--duration SECONDS] [--rounds R] [--data-dir DIR]";
    try {
      for (int i = 0; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
          case "--duration" -> seconds = Integer.parseInt(args[i + 1]);
          case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
          case "--data-dir" -> dataDir = Path.of(args[i + 1]);
          default -> fail(usage);
        }
      }
    } catch (NumberFormatException e) {
      fail(usage);
    }
    if (args.length % 2 != 0 || cards < 1 || seconds < 1 || seconds > 600 || rounds < 1 || rounds > 20) {
      fail(usage);
    }
    if (!Wrk.installed()) {
      System.err.println("wrk is not installed (Debian: apt-get install -y wrk)");
      System.exit(2);
    }
    return new TapRunArguments(cards, seconds, rounds, dataDir);
  }

  private static void fail(String usage) {
    System.err.println(usage);
    System.exit(2);
  }
}
