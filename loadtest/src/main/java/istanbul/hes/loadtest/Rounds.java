package istanbul.hes.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Figures measured round by round, the way every benchmark here reports them: each round's row as
 * it ends (a Markdown table: round, what was measured, the figures), then one row of medians per
 * kind of run (the compared endpoints, modes or phases, in the order they first ran).
 *
 * <p>A column is a name, optionally followed by {@code |} and its format ({@code "p99 µs"},
 * {@code "seconds|%.2f"}); the default format is {@code %,.0f}.
 *
 * <p>For the shell scripts: {@code java … istanbul.hes.loadtest.Rounds FILE} prints the table of
 * FILE, tab-separated lines whose first is the header ({@code round}, {@code kind}, the columns)
 * and every other one a round ({@code 1}, {@code quiet}, the figures), then the medians.
 */
final class Rounds {
  private final List<String> names = new ArrayList<>();
  private final List<String> formats = new ArrayList<>();
  private final List<String> rounds = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();
  private final List<double[]> rows = new ArrayList<>();

  Rounds(String... columns) {
    for (String column : columns) {
      int bar = column.indexOf('|');
      names.add(bar < 0 ? column : column.substring(0, bar));
      formats.add(bar < 0 ? "%,.0f" : column.substring(bar + 1));
    }
  }

  /** The header of the table. */
  void printHeader() {
    System.out.println("| round | run | " + String.join(" | ", names) + " |");
    System.out.println("|---|---|" + "---:|".repeat(names.size()));
  }

  /** Records a round's figures (in the order of the columns) and prints its row. */
  void add(String round, String kind, double... values) {
    if (values.length != names.size()) {
      throw new IllegalArgumentException(values.length + " figures for " + names.size() + " columns");
    }
    rounds.add(round);
    kinds.add(kind);
    rows.add(values.clone());
    System.out.println(row(round, kind, values));
  }

  /** The median of a column over the rounds of one kind. */
  double median(String kind, String column) {
    int c = names.indexOf(column);
    if (c < 0) {
      throw new IllegalArgumentException("no column " + column);
    }
    List<Double> values = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      if (kinds.get(r).equals(kind)) {
        values.add(rows.get(r)[c]);
      }
    }
    return median(values, Double::doubleValue);
  }

  /** Prints one row of medians per kind of run. */
  void printMedians() {
    Set<String> seen = new LinkedHashSet<>(kinds);
    for (String kind : seen) {
      double[] medians = new double[names.size()];
      for (int c = 0; c < names.size(); c++) {
        medians[c] = median(kind, names.get(c));
      }
      System.out.println(row("median", kind, medians));
    }
  }

  private String row(String round, String kind, double[] values) {
    StringBuilder line = new StringBuilder("| ").append(round).append(" | ").append(kind).append(" |");
    for (int c = 0; c < values.length; c++) {
      line.append(' ').append(Double.isNaN(values[c]) ? "n/a" : String.format(Locale.ROOT, formats.get(c), values[c])).append(" |");
    }
    return line.toString();
  }

  /** The median of a value over runs (the mean of the middle two for an even count), figures not reported (NaN) left out; NaN when there are none. */
  static <T> double median(List<T> runs, ToDoubleFunction<T> value) {
    double[] values = runs.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Rounds FILE (tab-separated: a header of round, kind and the columns, then one line per round)");
      System.exit(2);
    }
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    if (lines.size() < 2) {
      throw new IllegalStateException(args[0] + " holds no round");
    }
    String[] header = lines.get(0).split("\t");
    Rounds table = new Rounds(java.util.Arrays.copyOfRange(header, 2, header.length));
    table.printHeader();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t");
      double[] values = new double[cells.length - 2];
      for (int c = 0; c < values.length; c++) {
        values[c] = cells[c + 2].isEmpty() || cells[c + 2].equals("-") ? Double.NaN : Double.parseDouble(cells[c + 2]);
      }
      table.add(cells[0], cells[1], values);
    }
    table.printMedians();
  }
}
