package istanbul.hes.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs wrk against one endpoint with a Lua script that cycles through prepared POST bodies
 * (optionally pipelined) and prints one machine-readable line from wrk's {@code done} hook.
 */
final class Wrk {
  /** One wrk run. Latencies in microseconds. */
  record Result(long requests, long durationMicros, long p50Micros, long p99Micros, long meanMicros, long errors, long non2xx) {
    double requestsPerSecond() {
      return requests * 1e6 / Math.max(1, durationMicros);
    }
  }

  /** wrk's summary as one line the runner parses. */
  private static final String DONE = """
      function done(summary, latency, requests)
        local e = summary.errors
        -- wrk's percentile() answers 0 when its coordinated-omission correction has put counts
        -- below the recorded minimum (seen under pipelining): reported as n/a.
        io.write(string.format("WRK-RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
          latency:percentile(50), latency:percentile(99), latency.mean, e.connect + e.read + e.write + e.timeout, e.status))
      end
      """;

  private final String token;
  private final int threads;
  private final int connections;
  private final Path scripts;

  Wrk(String token, int threads, int connections, Path scripts) {
    this.token = token;
    this.threads = threads;
    this.connections = connections;
    this.scripts = scripts;
  }

  static boolean installed() {
    try {
      Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      process.waitFor(10, TimeUnit.SECONDS);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A script cycling through {@code bodies}; with {@code depth > 1}, each write is a pipeline of
   * that many requests (wrk counts the requests in it and waits for as many responses).
   */
  Path script(String name, List<String> bodies, int depth) throws IOException {
    StringBuilder lua = jsonPosts();
    lua.append("local bodies = {\n");
    for (String body : bodies) {
      lua.append("  \"").append(body.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\n");
    }
    lua.append("}\n");
    lua.append("local n = #bodies\n");
    lua.append("local i = 0\n");
    lua.append("local depth = ").append(depth).append("\n");
    lua.append("""
        local pipelines = {}
        local k = 0
        function init(args)
          i = math.random(n) - 1
          if depth > 1 then
            for p = 1, 64 do
              local batch = {}
              for d = 1, depth do
                i = i % n + 1
                batch[d] = wrk.format(nil, nil, nil, bodies[i])
              end
              pipelines[p] = table.concat(batch)
            end
          end
        end
        function request()
          if depth > 1 then
            k = k % #pipelines + 1
            return pipelines[k]
          end
          i = i % n + 1
          return wrk.format(nil, nil, nil, bodies[i])
        end
        """);
    lua.append(DONE);
    Path file = scripts.resolve(name + ".lua");
    Files.writeString(file, lua, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * A script whose every request is a new tap: a random card of {@code cards} at a random one of
   * {@code validators} validators named {@code prefix}N, at {@code at}; each connection pauses
   * {@code pauseMillis} between requests (0: none), which bounds the rate the script offers.
   */
  Path randomTaps(String name, List<String> cards, String prefix, int validators, String at, int pauseMillis) throws IOException {
    StringBuilder lua = jsonPosts();
    lua.append("local cards = {\n");
    for (String card : cards) {
      lua.append("  \"").append(card).append("\",\n");
    }
    lua.append("}\n");
    lua.append("local head = '{\"card\":\"'\n");
    lua.append("local middle = '\",\"validator\":\"").append(prefix).append("'\n");
    lua.append("local tail = '\",\"at\":\"").append(at).append("\"}'\n");
    lua.append("local validators = ").append(validators).append("\n");
    lua.append("""
        local n = #cards
        function init(args)
          math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
        end
        function request()
          return wrk.format(nil, nil, nil, head .. cards[math.random(n)] .. middle .. math.random(validators) .. tail)
        end
        """);
    if (pauseMillis > 0) {
      lua.append("function delay()\n  return ").append(pauseMillis).append("\nend\n");
    }
    lua.append(DONE);
    Path file = scripts.resolve(name + ".lua");
    Files.writeString(file, lua, StandardCharsets.UTF_8);
    return file;
  }

  /** As {@link #run(String, Path, int)}, with this many connections instead of the default. */
  Result run(String url, Path script, int seconds, int connectionCount) throws IOException, InterruptedException {
    return new Wrk(token, threads, connectionCount, scripts).run(url, script, seconds);
  }

  /** The start of every script: JSON POSTs with the cluster's token. */
  private StringBuilder jsonPosts() {
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"POST\"\n");
    lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(token).append("\"\n");
    return lua;
  }

  Result run(String url, Path script, int seconds) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
        "-s", script.toString(), url)
        .redirectErrorStream(true)
        .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("wrk did not finish");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.startsWith("WRK-RESULT ")) {
        String[] f = line.trim().split(" ");
        return new Result(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
            Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
      }
    }
    throw new IOException("wrk printed no result:\n" + text);
  }
}
