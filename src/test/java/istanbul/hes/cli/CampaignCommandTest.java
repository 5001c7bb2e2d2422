package istanbul.hes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import istanbul.hes.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code campaign …} in process, through the jar's command line, against a fake admin listener
 * that records what it is sent and answers canned JSON: the requests (token, body), the lines
 * printed, --follow's progress, and the one line of each failure. No run prints the token.
 */
class CampaignCommandTest {
  private static final String TOKEN = "operator-token-0123456789-abcdefXYZ";
  private static final String NL = System.lineSeparator();

  @TempDir
  Path temp;

  private HttpServer server;
  private String admin;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();

  record Recorded(String method, String path, String authorization, String contentType, String body) {}

  record Reply(int status, String contentType, String body) {}

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void startFakeAdmin() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    admin = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopFakeAdmin() {
    server.stop(0);
  }

  // ---- show, list ---------------------------------------------------------------------------

  @Test
  void showSendsTheTokenAndPrintsOneLine() {
    reply("GET", "/admin/v1/campaigns/3", 200, campaign(3, "RUNNING", 10000, 4200, 5784));

    Run run = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "show", "3", "--admin", admin);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("campaign 3 \"Kasım\" RUNNING: targeted 10000, sent 4200, failed 3, optedOut 12, skipped 1, "
        + "remaining 5784" + NL);
    assertThat(run.err()).isEmpty();
    assertThat(requests).singleElement().satisfies(request -> {
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.path()).isEqualTo("/admin/v1/campaigns/3");
      assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
    });
  }

  @Test
  void listPrintsOneLinePerCampaignAndJsonPrintsTheAnswerAsItCame() {
    String list = new JsonObject().put("campaigns", new JsonArray()
        .add(new JsonObject(campaign(4, "DRAFT", 0, 0, 0)).put("name", "Aralık \"yeni\""))
        .add(new JsonObject(campaign(3, "DONE", 10, 9, 0)))).encode();
    reply("GET", "/admin/v1/campaigns", 200, list);

    Run run = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "list", "--admin", admin + "/");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(
        "campaign 4 \"Aralık \\\"yeni\\\"\" DRAFT: targeted 0, sent 0, failed 3, optedOut 12, skipped 1, remaining 0" + NL
            + "campaign 3 \"Kasım\" DONE: targeted 10, sent 9, failed 3, optedOut 12, skipped 1, remaining 0" + NL);
    assertThat(requests).extracting(Recorded::path).containsExactly("/admin/v1/campaigns");

    Run json = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "list", "--json", "--admin", admin);
    assertThat(json.exit()).isZero();
    assertThat(json.out()).isEqualTo(list + NL);

    reply("GET", "/admin/v1/campaigns", 200, "{\"campaigns\":[]}");
    assertThat(run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "list", "--admin", admin).out())
        .isEqualTo("no campaigns" + NL);
  }

  // ---- start, pause, resume -----------------------------------------------------------------

  @Test
  void startPauseAndResumePostWhoChangedItAndPrintTheCampaign() {
    reply("POST", "/admin/v1/campaigns/7/start", 200, campaign(7, "RUNNING", 50, 0, 50));
    reply("POST", "/admin/v1/campaigns/7/pause", 200, campaign(7, "PAUSED", 50, 20, 30));
    reply("POST", "/admin/v1/campaigns/7/resume", 200, campaign(7, "RUNNING", 50, 20, 30));
    Map<String, String> environment = Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN);

    Run start = run(environment, "campaign", "start", "7", "--admin", admin, "--changed-by", "ayse.k@ops");
    Run pause = run(environment, "campaign", "pause", "--admin", admin, "7");
    Run resume = run(environment, "campaign", "resume", "7", "--admin", admin, "--changed-by", "mehmet_y");

    assertThat(List.of(start.exit(), pause.exit(), resume.exit())).containsOnly(0);
    assertThat(start.out()).isEqualTo("campaign 7 \"Kasım\" RUNNING: targeted 50, sent 0, failed 3, optedOut 12, skipped 1, remaining 50" + NL);
    assertThat(pause.out()).startsWith("campaign 7 \"Kasım\" PAUSED: targeted 50, sent 20,");
    assertThat(resume.out()).startsWith("campaign 7 \"Kasım\" RUNNING: targeted 50, sent 20,");
    assertThat(requests).extracting(Recorded::method, Recorded::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple("POST", "/admin/v1/campaigns/7/start"),
        org.assertj.core.groups.Tuple.tuple("POST", "/admin/v1/campaigns/7/pause"),
        org.assertj.core.groups.Tuple.tuple("POST", "/admin/v1/campaigns/7/resume"));
    assertThat(requests).extracting(request -> new JsonObject(request.body())).containsExactly(
        new JsonObject().put("changedBy", "ayse.k@ops"), new JsonObject().put("changedBy", "os-user.1"),
        new JsonObject().put("changedBy", "mehmet_y"));
    assertThat(requests).allSatisfy(request -> {
      assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
      assertThat(request.contentType()).isEqualTo("application/json");
    });
  }

  @Test
  void followDrawsTheProgressUntilTheCampaignIsDone() {
    reply("POST", "/admin/v1/campaigns/5/start", 200, campaign(5, "RUNNING", 100, 0, 100));
    // A poll without progress, and 100 % before DONE, draw no line of their own.
    reply("GET", "/admin/v1/campaigns/5", 200, campaign(5, "RUNNING", 100, 30, 70), campaign(5, "RUNNING", 100, 30, 70),
        campaign(5, "RUNNING", 100, 60, 40), campaign(5, "RUNNING", 100, 90, 10), campaign(5, "RUNNING", 100, 100, 0),
        campaign(5, "DONE", 100, 100, 0));

    Run run = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "start", "5", "--follow", "--admin", admin);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).startsWith("campaign 5 \"Kasım\" RUNNING: targeted 100, sent 0,");
    assertThat(lines.subList(1, 6)).extracting(line -> line.replaceAll("^\\[[#.]{40}\\] +(\\d+) % ([0-9,]+/[0-9,]+ notices) .*", "$1 $2"))
        .containsExactly("0 0/100 notices", "30 30/100 notices", "60 60/100 notices", "90 90/100 notices", "100 100/100 notices");
    assertThat(lines.get(5)).startsWith("[" + "#".repeat(40) + "]");
    assertThat(lines.get(6)).isEqualTo("campaign 5 \"Kasım\" DONE: targeted 100, sent 100, failed 3, optedOut 12, skipped 1, remaining 0");
    assertThat(requests).extracting(Recorded::method).containsExactly("POST", "GET", "GET", "GET", "GET", "GET", "GET");
    assertThat(requests).extracting(Recorded::authorization).containsOnly("Bearer " + TOKEN);
  }

  @Test
  void followStopsWhenTheCampaignIsPausedAndWithJsonPrintsTheLastAnswerAlone() {
    reply("POST", "/admin/v1/campaigns/6/resume", 200, campaign(6, "RUNNING", 10, 2, 8));
    String paused = campaign(6, "PAUSED", 10, 5, 5);
    reply("GET", "/admin/v1/campaigns/6", 200, campaign(6, "RUNNING", 10, 4, 6), paused);

    Run run = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "resume", "6", "--follow", "--json", "--admin", admin);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(paused + NL);
    assertThat(run.err()).contains("2/10 notices", "5/10 notices");
    assertThat(requests).extracting(Recorded::method).containsExactly("POST", "GET", "GET");
  }

  @Test
  void theHelpSaysCtrlCStopsFollowingOnly() {
    Run run = run(Map.of(), "campaign", "start", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Usage: hes-gateway campaign start", "--follow", "--token-file", "--changed-by", "--admin", "--json");
    assertThat(run.out().replaceAll("\\s+", " ")).contains("Ctrl-C stops following only: the campaign keeps running on the node");
    assertThat(run(Map.of(), "campaign", "--help").out()).contains("show", "list", "start", "pause", "resume",
        CampaignCommand.TOKEN_VARIABLE);
    assertThat(run(Map.of(), "--help").out()).contains("campaign");
    assertThat(requests).isEmpty();
  }

  // ---- the token ----------------------------------------------------------------------------

  @Test
  void theTokenComesFromTheTokenFileBeforeTheEnvironment() throws IOException {
    Path file = Files.writeString(temp.resolve("operator.token"), TOKEN + "\n");
    reply("GET", "/admin/v1/campaigns/1", 200, campaign(1, "DRAFT", 0, 0, 0));

    Run fromFile = run(Map.of(), "campaign", "show", "1", "--token-file", file.toString(), "--admin", admin);
    Run overEnvironment = run(Map.of(CampaignCommand.TOKEN_VARIABLE, "another-token-that-is-not-it-at-all"), "campaign", "show", "1",
        "--token-file", file.toString(), "--admin", admin);

    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
    assertThat(overEnvironment.exit()).as(overEnvironment.err()).isZero();
    assertThat(requests).extracting(Recorded::authorization).containsExactly("Bearer " + TOKEN, "Bearer " + TOKEN);
  }

  @Test
  void aMissingTokenIsOneLineNamingTheVariableAndTheOption() throws IOException {
    Run missing = run(Map.of(), "campaign", "show", "1", "--admin", admin);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).isEqualTo("campaign: the operator token is missing: set HES_ADMIN_OPERATOR_TOKEN or --token-file" + NL);

    Path empty = Files.writeString(temp.resolve("empty.token"), "\n");
    Run emptyFile = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "list", "--token-file", empty.toString(),
        "--admin", admin);
    assertThat(emptyFile.exit()).isEqualTo(2);
    assertThat(emptyFile.err()).isEqualTo("campaign: --token-file " + empty + " is empty: it should hold the node's admin.operatorToken" + NL);

    Path absent = temp.resolve("absent.token");
    Run absentFile = run(Map.of(), "campaign", "list", "--token-file", absent.toString(), "--admin", admin);
    assertThat(absentFile.exit()).isEqualTo(2);
    assertThat(absentFile.err()).isEqualTo("campaign: --token-file " + absent + " does not exist" + NL);

    Run twoLines = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN + "\nsecond"), "campaign", "list", "--admin", admin);
    assertThat(twoLines.exit()).isEqualTo(2);
    assertThat(twoLines.err()).startsWith("campaign: the operator token from HES_ADMIN_OPERATOR_TOKEN has characters")
        .hasLineCount(1);
    assertThat(requests).isEmpty();
  }

  @Test
  void theTokenIsNotAnOption() {
    Run run = run(Map.of(), "campaign", "list", "--token", "typed-on-the-command-line", "--admin", admin);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option");
    assertThat(requests).isEmpty();
  }

  // ---- failures -----------------------------------------------------------------------------

  @Test
  void aClosedPortIsOneLineNamingTheAdminOption() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed;

    Run run = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "start", "2", "--admin", url);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("campaign: cannot reach the admin listener at " + url + " (connection refused); check --admin" + NL);

    Run unknownHost = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "list", "--admin", "http://no-such-host.invalid:8082");
    assertThat(unknownHost.exit()).isEqualTo(1);
    assertThat(unknownHost.err())
        .isEqualTo("campaign: cannot reach the admin listener at http://no-such-host.invalid:8082 (unknown host); check --admin" + NL);
  }

  @Test
  void aProblemIsOneLineWithItsCodeAndDetail() {
    reply("GET", "/admin/v1/campaigns/9", 404, problem(404, "UNKNOWN_CAMPAIGN", "Unknown campaign", "no campaign 9"));
    reply("POST", "/admin/v1/campaigns/3/start", 409,
        problem(409, "CAMPAIGN_STATE_CONFLICT", "The campaign is not in a state for this", "campaign 3 is RUNNING; start needs DRAFT"));
    reply("GET", "/admin/v1/campaigns", 401, problem(401, "UNAUTHORIZED", "Missing or unknown credentials", null));
    Map<String, String> environment = Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN);

    Run unknown = run(environment, "campaign", "show", "9", "--admin", admin);
    Run conflict = run(environment, "campaign", "start", "3", "--follow", "--admin", admin);
    Run unauthorized = run(environment, "campaign", "list", "--admin", admin);

    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("campaign 9: 404 UNKNOWN_CAMPAIGN: no campaign 9" + NL);
    assertThat(conflict.exit()).isEqualTo(1);
    assertThat(conflict.err()).isEqualTo("campaign 3: 409 CAMPAIGN_STATE_CONFLICT: campaign 3 is RUNNING; start needs DRAFT" + NL);
    assertThat(unauthorized.exit()).isEqualTo(1);
    assertThat(unauthorized.err()).isEqualTo("campaign: 401 UNAUTHORIZED: Missing or unknown credentials; check HES_ADMIN_OPERATOR_TOKEN "
        + "(the node's admin.operatorToken)" + NL);
    assertThat(List.of(unknown.out(), conflict.out(), unauthorized.out())).containsOnly("");
    // The failed start is not followed.
    assertThat(requests).extracting(Recorded::method).containsExactly("GET", "POST", "GET");
  }

  @Test
  void anAnswerThatIsNoProblemSaysToCheckTheAdminOption() {
    server.createContext("/admin/v1/campaigns/4", exchange -> send(exchange, new Reply(502, "text/html", "<html>bad gateway</html>")));

    Run run = run(Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "show", "4", "--admin", admin);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("campaign 4: HTTP 502 from " + admin + "/admin/v1/campaigns/4 without a problem+json answer; "
        + "check --admin (the node's admin listener)" + NL);
  }

  @Test
  void usageErrorsAreExitTwoAndSendNothing() {
    Map<String, String> environment = Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN);
    for (String id : List.of("abc", "0", "-1", "3x", "1234567890123456789")) {
      Run run = run(environment, "campaign", "show", "--admin", admin, "--", id);
      assertThat(run.exit()).as(id).isEqualTo(2);
      assertThat(run.out()).as(id).isEmpty();
      assertThat(run.err()).as(id).startsWith("ID must be a campaign's id, a positive whole number, was '" + id + "'" + NL)
          .contains("Usage: hes-gateway campaign show");
    }
    Run missingId = run(environment, "campaign", "pause", "--admin", admin);
    assertThat(missingId.exit()).isEqualTo(2);
    assertThat(missingId.err()).startsWith("Missing required parameter: 'ID'");

    Run changedBy = run(environment, "campaign", "pause", "3", "--changed-by", "Ayşe K", "--admin", admin);
    assertThat(changedBy.exit()).isEqualTo(2);
    assertThat(changedBy.err()).startsWith("--changed-by must be 1 to 64 of A-Z a-z 0-9 . _ @ -, was 'Ayşe K'");

    Run badAdmin = run(environment, "campaign", "list", "--admin", "127.0.0.1:8082");
    assertThat(badAdmin.exit()).isEqualTo(2);
    assertThat(badAdmin.err()).startsWith("--admin must be an http:// or https:// URL such as http://127.0.0.1:8082, was '127.0.0.1:8082'");

    Run followPause = run(environment, "campaign", "pause", "3", "--follow", "--admin", admin);
    assertThat(followPause.exit()).isEqualTo(2);
    assertThat(followPause.err()).contains("Unknown option: '--follow'");

    Run noAction = run(environment, "campaign");
    assertThat(noAction.exit()).isEqualTo(2);
    assertThat(noAction.err()).startsWith("a campaign command is required: show, list, start, pause or resume");

    assertThat(requests).isEmpty();
  }

  @Test
  void anOsUserThatIsNoOperatorNameAsksForChangedBy() {
    Run run = runAs("John Smith", Map.of(CampaignCommand.TOKEN_VARIABLE, TOKEN), "campaign", "start", "3", "--admin", admin);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("the OS user name 'John Smith' is not an operator name (1 to 64 of A-Z a-z 0-9 . _ @ -): "
        + "give --changed-by NAME");
    assertThat(requests).isEmpty();
  }

  // ---- the fake admin listener and the runs -------------------------------------------------

  /** Runs the jar's command line with this environment; checks that nothing printed holds the token. */
  private Run run(Map<String, String> environment, String... args) {
    return runAs("os-user.1", environment, args);
  }

  private Run runAs(String osUser, Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = Main.commandLine();
    CampaignCommand campaign = line.getSubcommands().get("campaign").getCommand();
    campaign.environment = environment;
    campaign.osUser = osUser;
    campaign.pollInterval = Duration.ofMillis(5);
    campaign.terminal = false;
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    Run run = new Run(exit, out.toString(), err.toString());
    assertThat(run.out() + run.err()).as("what the command printed").doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 12));
    return run;
  }

  /** What the fake answers to METHOD PATH: these replies in turn, the last one from then on. */
  private void reply(String method, String path, int status, String... bodies) {
    Deque<Reply> queue = new ArrayDeque<>();
    for (String body : bodies) {
      queue.add(new Reply(status, status / 100 == 2 ? "application/json" : "application/problem+json", body));
    }
    replies.put(method + " " + path, queue);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    requests.add(new Recorded(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("Content-Type"), body));
    Deque<Reply> queue = replies.get(exchange.getRequestMethod() + " " + path);
    Reply reply;
    if (queue == null) {
      reply = new Reply(404, "application/problem+json", problem(404, "NOT_FOUND", "Not found", "no route " + path));
    } else {
      synchronized (queue) {
        reply = queue.size() > 1 ? queue.poll() : queue.peek();
      }
    }
    send(exchange, reply);
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String campaign(long id, String state, long targeted, long sent, long remaining) {
    Map<String, Object> fields = new HashMap<>();
    fields.put("id", id);
    fields.put("name", "Kasım");
    fields.put("state", state);
    fields.put("targeted", targeted);
    fields.put("sent", sent);
    fields.put("failed", 3);
    fields.put("optedOut", 12);
    fields.put("skipped", 1);
    fields.put("remaining", remaining);
    fields.put("ratePerSecond", 50);
    return new JsonObject(fields).encode();
  }

  private static String problem(int status, String code, String title, String detail) {
    JsonObject problem = new JsonObject().put("type", "https://hes.istanbul/problems/" + code).put("title", title).put("status", status)
        .put("code", code);
    if (detail != null) {
      problem.put("detail", detail);
    }
    return problem.encode();
  }
}
