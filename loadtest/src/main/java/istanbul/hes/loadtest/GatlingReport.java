package istanbul.hes.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The statistics of a simulation's newest Gatling report (the rows of its {@code index.html}: all
 * requests, then each request name), and its errors.
 *
 * <p>{@code java … istanbul.hes.loadtest.GatlingReport ValidatorSimulation} prints the table: count,
 * failures, mean rate, p50/p95/p99/max, then each error with its count (an answer of an unexpected
 * status names the status), and where the HTML report is.
 *
 * <p>{@code … GatlingReport SIMULATION --round FILE ROUND KIND ROW:FIELD…} appends one round to
 * FILE, the tab-separated table {@link Rounds} prints (the header first when FILE is new): a
 * column per {@code ROW:FIELD}, FIELD one of {@code count}, {@code failed}, {@code p50},
 * {@code p95}, {@code p99}, {@code max} (ms), or {@code non2xx} (answers of a status outside 2xx
 * that failed a check, from the errors; its row is ignored), or {@code NAME=VALUE}, a figure
 * measured elsewhere (e.g. on the node) put in the same round. A row the report lacks counts 0
 * requests and has no percentiles.
 */
public final class GatlingReport {
  private static final Path REPORTS = Path.of("loadtest", "gatling", "target", "gatling");
  private static final Pattern ROW = Pattern.compile("<tr id=\"([^\"]*)\"[\\s\\S]*?</tr>");
  private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]*)<");
  private static final Pattern CELL = Pattern.compile("<td class=\"value [a-z]+ col-(\\d+)\">([^<]*)</td>");
  private static final Pattern ERRORS = Pattern.compile("<table[^>]*id=\"container_errors\"[\\s\\S]*?</table>");
  private static final Pattern ERROR = Pattern.compile(
      "<td class=\"error-col-1[^\"]*\">([^<]*)(?:<span[^>]*>[^<]*</span>)?</td>\\s*<td class=\"value error-col-2[^\"]*\">\\s*([0-9,]+)");
  private static final Pattern FOUND_STATUS = Pattern.compile("found (\\d{3})");

  /** One row of the statistics: response times in ms (as Gatling prints them; "-" when it has none). */
  record Row(String label, String count, String failed, String rate, String p50, String p95, String p99, String max) {}

  private GatlingReport() {}

  public static void main(String[] args) throws IOException {
    Path run = newest(args[0]);
    String html = Files.readString(run.resolve("index.html"));
    Map<String, Row> rows = rows(html);
    Map<String, Long> errors = errors(html);
    if (args.length > 1 && args[1].equals("--round")) {
      appendRound(Path.of(args[2]), args[3], args[4], List.of(args).subList(5, args.length), rows, errors);
      return;
    }
    for (Row row : rows.values()) {
      System.out.printf("%-28s %s requests, %s failed, %s/s, p50 %s ms, p95 %s ms, p99 %s ms, max %s ms%n", row.label(), row.count(),
          row.failed(), row.rate(), row.p50(), row.p95(), row.p99(), row.max());
    }
    errors.forEach((message, count) -> System.out.printf("error: %s (%d)%n", message, count));
    System.out.println("report: " + run.resolve("index.html"));
  }

  /** The newest report of the simulation. */
  private static Path newest(String simulation) throws IOException {
    String prefix = simulation.toLowerCase(Locale.ROOT) + "-";
    try (Stream<Path> runs = Files.list(REPORTS)) {
      return runs.filter(path -> path.getFileName().toString().startsWith(prefix) && Files.exists(path.resolve("index.html")))
          .max(Comparator.comparing(path -> path.getFileName().toString()))
          .orElseThrow(() -> new IllegalStateException("no report of " + simulation + " under " + REPORTS));
    }
  }

  /** The statistics rows by label ("All Requests" first). */
  static Map<String, Row> rows(String html) {
    Matcher row = ROW.matcher(html);
    Map<String, Row> rows = new LinkedHashMap<>();
    while (row.find()) {
      String body = row.group();
      Matcher name = NAME.matcher(body);
      String label = row.group(1).equals("ROOT") ? "All Requests" : name.find() ? name.group(1) : row.group(1);
      if (rows.containsKey(label)) {
        continue; // the table appears twice (page and full-screen view)
      }
      String[] cells = new String[15];
      Matcher cell = CELL.matcher(body);
      while (cell.find()) {
        cells[Integer.parseInt(cell.group(1))] = cell.group(2);
      }
      rows.put(label, new Row(label, cells[2], cells[4], cells[6], cells[8], cells[10], cells[11], cells[12]));
    }
    return rows;
  }

  /** The report's errors: message, count. */
  static Map<String, Long> errors(String html) {
    Map<String, Long> errors = new LinkedHashMap<>();
    Matcher table = ERRORS.matcher(html);
    if (table.find()) {
      Matcher error = ERROR.matcher(table.group());
      while (error.find()) {
        errors.merge(error.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&").trim(),
            Long.parseLong(error.group(2).replace(",", "")), Long::sum);
      }
    }
    return errors;
  }

  private static void appendRound(Path file, String round, String kind, List<String> columns, Map<String, Row> rows,
      Map<String, Long> errors) throws IOException {
    List<String> cells = new ArrayList<>(List.of(round, kind));
    for (String column : columns) {
      if (column.contains("=")) {
        cells.add(column.substring(column.indexOf('=') + 1));
        continue;
      }
      int colon = column.lastIndexOf(':');
      String label = column.substring(0, colon);
      String field = column.substring(colon + 1);
      Row row = rows.get(label);
      cells.add(switch (field) {
        case "non2xx" -> Long.toString(errors.entrySet().stream().mapToLong(e -> {
          Matcher found = FOUND_STATUS.matcher(e.getKey());
          return found.find() && !found.group(1).startsWith("2") ? e.getValue() : 0;
        }).sum());
        case "count" -> row == null ? "0" : number(row.count());
        case "failed" -> row == null ? "0" : number(row.failed());
        case "p50" -> row == null ? "-" : number(row.p50());
        case "p95" -> row == null ? "-" : number(row.p95());
        case "p99" -> row == null ? "-" : number(row.p99());
        case "max" -> row == null ? "-" : number(row.max());
        default -> throw new IllegalArgumentException("unknown field " + field + " (count, failed, p50, p95, p99, max, non2xx)");
      });
    }
    if (!Files.exists(file)) {
      List<String> header = new ArrayList<>(List.of("round", "kind"));
      for (String column : columns) {
        if (column.contains("=")) {
          header.add(column.substring(0, column.indexOf('=')));
          continue;
        }
        String field = column.substring(column.lastIndexOf(':') + 1);
        String label = column.substring(0, column.lastIndexOf(':'));
        header.add(field.equals("non2xx") ? "non-2xx answers" : label + " " + field + (field.startsWith("p") || field.equals("max")
            ? " ms|%.0f" : ""));
      }
      Files.writeString(file, String.join("\t", header) + "\n");
    }
    Files.writeString(file, String.join("\t", cells) + "\n", StandardOpenOption.APPEND);
  }

  /** Gatling's figure without its thousands separators ("1,234" -> "1234"), "-" as it is. */
  private static String number(String figure) {
    return figure == null ? "-" : figure.replace(",", "").trim();
  }
}
