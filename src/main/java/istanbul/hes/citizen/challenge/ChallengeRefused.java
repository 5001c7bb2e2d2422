package istanbul.hes.citizen.challenge;

/**
 * The answer to a challenge was not accepted ({@link ChallengeService#redeem}): the write it was
 * to authorize was not attempted. Carries the outcome only, never the code; no stack trace.
 */
public final class ChallengeRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ChallengeOutcome outcome;

  public ChallengeRefused(ChallengeOutcome outcome) {
    super("challenge not accepted: " + outcome, null, false, false);
    this.outcome = outcome;
  }

  public ChallengeOutcome outcome() {
    return outcome;
  }
}
