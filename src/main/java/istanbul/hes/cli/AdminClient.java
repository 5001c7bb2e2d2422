package istanbul.hes.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A blocking client of a node's admin API for the operators' commands: one call, one answer, or
 * an {@link Failure} whose message is the one line the command prints. No redirects (the token
 * goes to the URL given and nowhere else), no retries (start, pause and resume change state).
 */
final class AdminClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
  private static final int DETAIL_LIMIT = 300;

  private final URI base;
  private final String authorization;
  private final String tokenSource;
  private final HttpClient http;

  /**
   * @param base the admin listener, {@code http(s)://host:port} (the caller checked it)
   * @param token the operator token (the caller checked it can be a header's value)
   * @param tokenSource where the token came from, for the line a 401 prints
   */
  AdminClient(URI base, String token, String tokenSource) {
    this.base = base;
    this.authorization = "Bearer " + token;
    this.tokenSource = tokenSource;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** A JSON object the API answered with, and its text as it came. */
  record Answer(JsonObject json, String body) {}

  /** Why a call gave no answer: the line to print, and the exit code. */
  static final class Failure extends Exception {
    private final int exitCode;
    private final boolean answered;

    Failure(String line, int exitCode, boolean answered) {
      super(line, null, false, false);
      this.exitCode = exitCode;
      this.answered = answered;
    }

    int exitCode() {
      return exitCode;
    }

    /** The node answered (a problem): the line is about what was asked, not about getting there. */
    boolean answered() {
      return answered;
    }
  }

  Answer get(String path) throws Failure, InterruptedException {
    return send(request(path).GET().build());
  }

  Answer post(String path, JsonObject body) throws Failure, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8)).build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(ANSWER_TIMEOUT)
        .header("Authorization", authorization)
        .header("Accept", "application/json, application/problem+json")
        .header("User-Agent", "hes-gateway/" + BuildVersion.version());
  }

  private Answer send(HttpRequest request) throws Failure, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (HttpTimeoutException e) {
      throw new Failure("the admin listener at " + base + " did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s; check --admin", 1,
          false);
    } catch (ConnectException e) {
      throw unreachable(unresolved(e) ? "unknown host"
          : e.getMessage() == null || e.getMessage().toLowerCase(Locale.ROOT).contains("refused") ? "connection refused"
          : oneLine(e.getMessage()));
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage()));
    }
    int status = response.statusCode();
    JsonObject json = object(response.body());
    if (status / 100 == 2) {
      if (json == null) {
        throw new Failure("the admin listener at " + base + " answered " + status + " without a JSON object; check --admin", 1, true);
      }
      return new Answer(json, response.body().strip());
    }
    throw new Failure(problem(status, json, request.uri()), 1, true);
  }

  private static boolean unresolved(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  private Failure unreachable(String why) {
    return new Failure("cannot reach the admin listener at " + base + " (" + why + "); check --admin", 1, false);
  }

  /** "404 UNKNOWN_CAMPAIGN: no campaign 9", with what to check where the answer says it. */
  private String problem(int status, JsonObject json, URI uri) {
    String code = json == null ? null : text(json, "code");
    String said = json == null ? null : text(json, "detail") != null ? text(json, "detail") : text(json, "title");
    if (code == null && said == null) {
      return "HTTP " + status + " from " + uri + " without a problem+json answer; check --admin (the node's admin listener)";
    }
    String line = status + (code == null ? "" : " " + code) + (said == null ? "" : ": " + said);
    if (status == 401) {
      line += "; check " + tokenSource + " (the node's admin.operatorToken)";
    }
    return line;
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String text && !text.isBlank() ? oneLine(text) : null;
  }

  private static JsonObject object(String body) {
    try {
      return body == null || body.isBlank() ? null : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** Text from the other side, fit for one line of ours: no control characters, not too long. */
  static String oneLine(String text) {
    String line = text.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
    return line.length() <= DETAIL_LIMIT ? line : line.substring(0, DETAIL_LIMIT) + "…";
  }
}
