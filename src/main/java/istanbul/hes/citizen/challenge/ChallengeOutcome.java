package istanbul.hes.citizen.challenge;

/**
 * What an answer to a challenge came to. A code given for another person or another phone is a
 * {@link #WRONG_CODE} like any other wrong answer (and counts as one): the caller learns nothing
 * about whose challenge it was.
 */
public enum ChallengeOutcome {
  /**
   * The right code, for the person and phone it was issued to: the challenge is claimed for one
   * write (see {@link ChallengeService#redeem}).
   */
  VERIFIED,
  /** A wrong code (or another person's or phone's): one attempt spent, some left. */
  WRONG_CODE,
  /** The wrong answer that reached the attempt limit: the challenge is deleted, ask for a new one. */
  BURNED,
  /** No such challenge, or none for this answer: never issued, expired, used, claimed by a write in flight, or burned. */
  EXPIRED_OR_UNKNOWN;

  public boolean verified() {
    return this == VERIFIED;
  }
}
