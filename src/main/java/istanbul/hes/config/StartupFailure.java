package istanbul.hes.config;

/**
 * A start that cannot go on, told as an operator needs it at 3 a.m.: the configuration key to
 * look at and, in one line, what went wrong with what it names. {@link Kind} says whose move it
 * is: a value to correct (exit 2) or something around the node to fix (exit 1).
 */
public final class StartupFailure extends RuntimeException {
  public enum Kind {
    /** The value is wrong or names something that is wrong (a file that is not there, a bad key). */
    CONFIGURATION(2),
    /** The value is plausible, but what it names is not there now (a server down, a port taken, a read-only disk). */
    ENVIRONMENT(1);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;
  private final String key;

  private StartupFailure(Kind kind, String key, String problem, Throwable cause) {
    super(oneLine(problem), cause);
    this.kind = kind;
    this.key = key;
  }

  public static StartupFailure configuration(String key, String problem, Throwable cause) {
    return new StartupFailure(Kind.CONFIGURATION, key, problem, cause);
  }

  public static StartupFailure configuration(String key, String problem) {
    return configuration(key, problem, null);
  }

  public static StartupFailure environment(String key, String problem, Throwable cause) {
    return new StartupFailure(Kind.ENVIRONMENT, key, problem, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** The configuration key whose value the operator should look at. */
  public String key() {
    return key;
  }

  /** What went wrong, without the key (the caller adds the key and where its value came from). */
  public String problem() {
    return getMessage();
  }

  /**
   * The first line of a cause's message, without the exception's class: parser and driver
   * messages run over several lines, and a start-up failure is one.
   */
  public static String causeText(Throwable cause) {
    Throwable deepest = cause;
    while (deepest.getCause() != null && deepest.getCause() != deepest && deepest.getMessage() == null) {
      deepest = deepest.getCause();
    }
    String message = deepest.getMessage();
    String name = deepest.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : oneLine(message);
  }

  /**
   * What a file-system failure means, in the words an operator searches for: "no such file",
   * "permission denied", or the system's own reason. Every start-up check of a file says it so.
   */
  public static String fileProblem(java.io.IOException failure) {
    if (failure instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (failure instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (failure instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return causeText(failure);
  }

  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String first = text.strip();
    int end = first.indexOf('\n');
    return (end < 0 ? first : first.substring(0, end)).strip();
  }
}
