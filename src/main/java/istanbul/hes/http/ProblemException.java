package istanbul.hes.http;

/** Carries a {@link Problem} through a failed future or {@code RoutingContext.fail}. No stack trace: it is not a bug. */
public final class ProblemException extends RuntimeException {
  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.code() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
