package istanbul.hes.citizen.challenge;

import java.time.Instant;

/**
 * A challenge as the citizen sees it ({@code 201 {"challengeId","expiresAt"}}); the code itself
 * went out by SMS only. The id is a bearer secret of sorts (with the code it proves the phone):
 * log {@link #maskedId()} only.
 */
public record IssuedChallenge(String challengeId, Instant expiresAt) {

  public String maskedId() {
    return ChallengeService.mask(challengeId);
  }

  @Override
  public String toString() {
    return "IssuedChallenge[" + maskedId() + ", expiresAt=" + expiresAt + "]";
  }
}
