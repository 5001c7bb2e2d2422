package istanbul.hes.citizen.challenge;

/**
 * The challenge could not be issued or checked because a dependency failed (Redis, the SMS
 * gateway): the caller answers 503. The message names the dependency, never personal data or
 * codes; no stack trace is filled in (the cause keeps its own).
 */
public final class ChallengeUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which dependency failed. */
  public enum Dependency { STORE, SMS }

  private final Dependency dependency;

  public ChallengeUnavailable(Dependency dependency, String message, Throwable cause) {
    super(message, cause, false, false);
    this.dependency = dependency;
  }

  public Dependency dependency() {
    return dependency;
  }
}
