package istanbul.hes.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prints the statistics table of a simulation's newest Gatling report (the rows of its
 * {@code index.html}: all requests, then each request name): count, failures, mean rate,
 * p50/p95/p99/max, and where the HTML report is.
 * {@code java -cp … istanbul.hes.loadtest.GatlingReport ValidatorSimulation}
 */
public final class GatlingReport {
  private static final Path REPORTS = Path.of("loadtest", "gatling", "target", "gatling");
  private static final Pattern ROW = Pattern.compile("<tr id=\"([^\"]*)\"[\\s\\S]*?</tr>");
  private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]*)<");
  private static final Pattern CELL = Pattern.compile("<td class=\"value [a-z]+ col-(\\d+)\">([^<]*)</td>");

  private GatlingReport() {}

  public static void main(String[] args) throws IOException {
    String prefix = args[0].toLowerCase(Locale.ROOT) + "-";
    Path run;
    try (Stream<Path> runs = Files.list(REPORTS)) {
      run = runs.filter(path -> path.getFileName().toString().startsWith(prefix) && Files.exists(path.resolve("index.html")))
          .max(Comparator.comparing(path -> path.getFileName().toString()))
          .orElseThrow(() -> new IllegalStateException("no report of " + args[0] + " under " + REPORTS));
    }
    String html = Files.readString(run.resolve("index.html"));
    Matcher row = ROW.matcher(html);
    List<String> seen = new ArrayList<>();
    while (row.find()) {
      String body = row.group();
      Matcher name = NAME.matcher(body);
      String label = row.group(1).equals("ROOT") ? "All Requests" : name.find() ? name.group(1) : row.group(1);
      if (seen.contains(label)) {
        continue; // the table appears twice (page and full-screen view)
      }
      seen.add(label);
      String[] cells = new String[15];
      Matcher cell = CELL.matcher(body);
      while (cell.find()) {
        cells[Integer.parseInt(cell.group(1))] = cell.group(2);
      }
      System.out.printf("%-28s %s requests, %s failed, %s/s, p50 %s ms, p95 %s ms, p99 %s ms, max %s ms%n", label, cells[2], cells[4],
          cells[6], cells[8], cells[10], cells[11], cells[12]);
    }
    System.out.println("report: " + run.resolve("index.html"));
  }
}
