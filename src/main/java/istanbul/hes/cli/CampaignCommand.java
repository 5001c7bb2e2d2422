package istanbul.hes.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar hes-gateway.jar campaign show|list|start|pause|resume [ID] [--admin URL]
 * [--token-file FILE] [--changed-by NAME] [--follow] [--json]}: drives a running node's
 * personalization campaigns through its admin API ({@code /admin/v1/campaigns}), as an operator.
 *
 * <p>The operator token comes from {@code HES_ADMIN_OPERATOR_TOKEN} or a file, never from the
 * command line (where the process list would show it), and is in no line the command prints. A
 * failure is one line on standard error naming what to check, then exit 1 (the node could not be
 * reached or refused) or 2 (a usage error, a missing token).
 */
@Command(name = "campaign", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, usageHelpAutoWidth = true,
    header = "Shows, starts, pauses and resumes a running node's personalization campaigns.",
    description = {"Calls the node's admin API (admin.port) with the operator token (admin.operatorToken), read from the environment "
        + "variable " + CampaignCommand.TOKEN_VARIABLE + " or from --token-file FILE, never from the command line.",
        "One line per campaign: its id, name, state and progress; --json prints the API's JSON instead."},
    subcommands = {CampaignCommand.Show.class, CampaignCommand.ListAll.class, CampaignCommand.Start.class, CampaignCommand.Pause.class,
        CampaignCommand.Resume.class},
    footer = {"", "Exit codes: 0 done, 1 the node could not be reached or refused (its problem's code and detail), "
        + "2 a usage error or a missing token."})
public final class CampaignCommand implements Callable<Integer> {
  static final String TOKEN_VARIABLE = "HES_ADMIN_OPERATOR_TOKEN";
  static final String DEFAULT_ADMIN = "http://127.0.0.1:8082";
  private static final String CAMPAIGNS = "/admin/v1/campaigns";
  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern OPERATOR_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final String OPERATOR_NAME_FORM = "1 to 64 of A-Z a-z 0-9 . _ @ -";
  /** The admin API's header value: visible ASCII, no spaces. */
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");

  /** Where the token variable is read; the tests set their own. */
  Map<String, String> environment = System.getenv();
  /** Who changes a campaign when --changed-by is not given. */
  String osUser = System.getProperty("user.name", "");
  /** How often --follow asks for the campaign's progress; the tests set a few milliseconds. */
  Duration pollInterval = Duration.ofSeconds(1);
  /** Whether the progress bar is redrawn in place (a terminal) or printed every 10 % (a pipe). */
  boolean terminal = System.console() != null;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a campaign command is required: show, list, start, pause or resume");
  }

  /** Where the node is and how to talk to it: every campaign command's options. */
  static final class AdminOptions {
    @Option(names = "--admin", paramLabel = "URL", description = "The node's admin listener. Default: ${DEFAULT-VALUE}.")
    String admin = DEFAULT_ADMIN;

    @Option(names = "--token-file", paramLabel = "FILE",
        description = "A file holding the operator token (the node's admin.operatorToken). Without it: the environment variable "
            + TOKEN_VARIABLE + ". Never a value on the command line: the process list would show it.")
    Path tokenFile;

    @Option(names = "--json", description = "Print the admin API's JSON instead of one line per campaign.")
    boolean json;
  }

  /** Who makes a change, recorded with it by the node. */
  static final class ChangeOptions {
    @Option(names = "--changed-by", paramLabel = "NAME",
        description = "Who makes the change, recorded by the node: " + OPERATOR_NAME_FORM + ". Default: the OS user name.")
    String changedBy;
  }

  /** What every campaign command does around its call: check the options, find the token, print the one line of a failure. */
  abstract static class Action implements Callable<Integer> {
    @ParentCommand
    CampaignCommand campaign;

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions options;

    @Override
    public final Integer call() {
      URI admin = admin();
      checkOptions();
      try {
        return run(new AdminClient(admin, token(), tokenSource()));
      } catch (AdminClient.Failure failure) {
        String subject = failure.answered() && id() != null ? "campaign " + id() : "campaign";
        PrintWriter err = spec.commandLine().getErr();
        err.println(subject + ": " + failure.getMessage());
        err.flush();
        return failure.exitCode();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }

    /** The campaign's id, checked; null for a command about all of them. */
    String id() {
      return null;
    }

    void checkOptions() {}

    abstract int run(AdminClient client) throws AdminClient.Failure, InterruptedException;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Prints the answer: its JSON as it came with --json, else one line per campaign. */
    void print(AdminClient.Answer answer) {
      if (options.json) {
        out().println(answer.body());
      } else if (answer.json().getValue("campaigns") instanceof JsonArray all) {
        if (all.isEmpty()) {
          out().println("no campaigns");
        }
        for (Object one : all) {
          out().println(one instanceof JsonObject object ? line(object) : "campaign ? (not an object: check --admin)");
        }
      } else {
        out().println(line(answer.json()));
      }
      out().flush();
    }

    String checkedId(String id) {
      if (!ID.matcher(id).matches()) {
        throw new ParameterException(spec.commandLine(), "ID must be a campaign's id, a positive whole number, was '"
            + AdminClient.oneLine(id) + "'");
      }
      return id;
    }

    private URI admin() {
      String text = options.admin.endsWith("/") ? options.admin.substring(0, options.admin.length() - 1) : options.admin;
      try {
        URI uri = new URI(text);
        if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null
            && uri.getRawQuery() == null && uri.getRawFragment() == null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // the message below says what is expected
      }
      throw new ParameterException(spec.commandLine(), "--admin must be an http:// or https:// URL such as " + DEFAULT_ADMIN
          + ", was '" + AdminClient.oneLine(options.admin) + "'");
    }

    private String tokenSource() {
      return options.tokenFile != null ? "--token-file " + options.tokenFile : TOKEN_VARIABLE;
    }

    /** The operator token, from --token-file or the environment; never printed, not even in part. */
    private String token() throws AdminClient.Failure {
      String token;
      if (options.tokenFile != null) {
        try {
          token = Files.readString(options.tokenFile, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
          throw new AdminClient.Failure("--token-file " + options.tokenFile + " does not exist", 2, false);
        } catch (IOException e) {
          throw new AdminClient.Failure("cannot read --token-file " + options.tokenFile + " (" + e.getClass().getSimpleName() + ")", 2,
              false);
        }
        if (token.isEmpty()) {
          throw new AdminClient.Failure("--token-file " + options.tokenFile + " is empty: it should hold the node's admin.operatorToken",
              2, false);
        }
      } else {
        token = campaign.environment.getOrDefault(TOKEN_VARIABLE, "").strip();
        if (token.isEmpty()) {
          throw new AdminClient.Failure("the operator token is missing: set " + TOKEN_VARIABLE + " or --token-file", 2, false);
        }
      }
      if (!TOKEN.matcher(token).matches()) {
        throw new AdminClient.Failure("the operator token from " + tokenSource()
            + " has characters an HTTP header cannot carry (spaces, control or non-ASCII characters)", 2, false);
      }
      return token;
    }
  }

  /** An action on one campaign that changes its state: start, pause, resume. */
  abstract static class Change extends Action {
    @Mixin
    ChangeOptions change;

    @Parameters(paramLabel = "ID", description = "The campaign's id.")
    String id;

    @Override
    String id() {
      return checkedId(id);
    }

    @Override
    void checkOptions() {
      id();
      changedBy();
    }

    abstract String action();

    boolean follow() {
      return false;
    }

    @Override
    int run(AdminClient client) throws AdminClient.Failure, InterruptedException {
      AdminClient.Answer answer = client.post(CAMPAIGNS + "/" + id() + "/" + action(), new JsonObject().put("changedBy", changedBy()));
      if (!follow()) {
        print(answer);
        return 0;
      }
      if (!options.json) {
        print(answer);
      }
      print(follow(client, answer));
      return 0;
    }

    private String changedBy() {
      if (change.changedBy != null) {
        if (!OPERATOR_NAME.matcher(change.changedBy).matches()) {
          throw new ParameterException(spec.commandLine(), "--changed-by must be " + OPERATOR_NAME_FORM + ", was '"
              + AdminClient.oneLine(change.changedBy) + "'");
        }
        return change.changedBy;
      }
      if (!OPERATOR_NAME.matcher(campaign.osUser).matches()) {
        throw new ParameterException(spec.commandLine(), "the OS user name '" + AdminClient.oneLine(campaign.osUser)
            + "' is not an operator name (" + OPERATOR_NAME_FORM + "): give --changed-by NAME");
      }
      return campaign.osUser;
    }

    /**
     * Asks for the campaign every poll interval, drawing its progress, until it is no longer
     * RUNNING (DONE, or PAUSED by someone); the last answer. The bar goes to standard error with
     * --json, so that standard output is the last JSON alone.
     */
    private AdminClient.Answer follow(AdminClient client, AdminClient.Answer started) throws AdminClient.Failure, InterruptedException {
      long total = number(started.json(), "targeted");
      PrintWriter barOut = options.json ? spec.commandLine().getErr() : out();
      ProgressBar bar = total > 0 ? new ProgressBar(barOut, total, "notices", campaign.terminal) : null;
      String id = id();
      Thread stopped = new Thread(() -> {
        PrintWriter err = spec.commandLine().getErr();
        err.println();
        err.println("campaign " + id + ": stopped following; the campaign keeps running (campaign pause " + id + " pauses it)");
        err.flush();
      }, "campaign-follow-stopped");
      Runtime.getRuntime().addShutdownHook(stopped);
      AdminClient.Answer answer = started;
      long drawn = -1;
      try {
        while (true) {
          long done = Math.max(0, Math.min(total, total - Math.max(0, number(answer.json(), "remaining"))));
          if (bar != null && done != drawn) {
            // Drawn when it moved: a campaign at 100 % until its last notices settle is one line, not one a second.
            bar.update(done);
            drawn = done;
          }
          if (!"RUNNING".equals(answer.json().getValue("state"))) {
            break;
          }
          Thread.sleep(campaign.pollInterval.toMillis());
          answer = client.get(CAMPAIGNS + "/" + id);
        }
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(stopped);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook says so
        }
      }
      if (bar != null) {
        bar.done();
      }
      return answer;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, usageHelpAutoWidth = true,
      header = "Shows a campaign's state and progress.")
  static final class Show extends Action {
    @Parameters(paramLabel = "ID", description = "The campaign's id.")
    String id;

    @Override
    String id() {
      return checkedId(id);
    }

    @Override
    void checkOptions() {
      id();
    }

    @Override
    int run(AdminClient client) throws AdminClient.Failure, InterruptedException {
      print(client.get(CAMPAIGNS + "/" + id()));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, usageHelpAutoWidth = true,
      header = "Lists the last campaigns, newest first, with their state and progress.")
  static final class ListAll extends Action {
    @Override
    int run(AdminClient client) throws AdminClient.Failure, InterruptedException {
      print(client.get(CAMPAIGNS));
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, usageHelpAutoWidth = true,
      header = "Starts a draft campaign: its targets are fixed and its notices go out.",
      description = FOLLOW_HELP)
  static final class Start extends FollowedChange {
    @Override
    String action() {
      return "start";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, usageHelpAutoWidth = true,
      header = "Pauses a running campaign: no more notices go out until it is resumed.")
  static final class Pause extends Change {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, usageHelpAutoWidth = true,
      header = "Resumes a paused campaign.",
      description = FOLLOW_HELP)
  static final class Resume extends FollowedChange {
    @Override
    String action() {
      return "resume";
    }
  }

  private static final String FOLLOW_HELP = "With --follow: draws the campaign's progress until it is DONE or PAUSED. Ctrl-C stops "
      + "following only: the campaign keeps running on the node (campaign pause ID pauses it).";

  /** A change after which the campaign runs: its progress can be followed. */
  abstract static class FollowedChange extends Change {
    @Option(names = "--follow", description = "Draw the progress, polling every second, until the campaign is DONE or PAUSED.")
    boolean follow;

    @Override
    boolean follow() {
      return follow;
    }
  }

  /**
   * {@code campaign 3 "Kasım" RUNNING: targeted 10000, sent 4200, failed 3, optedOut 12, skipped 1,
   * remaining 5784}.
   */
  static String line(JsonObject campaign) {
    StringBuilder line = new StringBuilder("campaign ").append(value(campaign, "id"));
    if (campaign.getValue("name") instanceof String name) {
      line.append(" \"").append(AdminClient.oneLine(name).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    line.append(' ').append(value(campaign, "state")).append(':');
    String separator = " ";
    for (String count : new String[] {"targeted", "sent", "failed", "optedOut", "skipped", "remaining"}) {
      line.append(separator).append(count).append(' ').append(value(campaign, count));
      separator = ", ";
    }
    return line.toString();
  }

  private static String value(JsonObject campaign, String key) {
    Object value = campaign.getValue(key);
    if (value instanceof Number number) {
      return Long.toString(number.longValue());
    }
    return value instanceof String text ? AdminClient.oneLine(text) : "?";
  }

  private static long number(JsonObject campaign, String key) {
    return campaign.getValue(key) instanceof Number number ? number.longValue() : 0;
  }
}
