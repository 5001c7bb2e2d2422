package istanbul.hes.citizen.store;

import istanbul.hes.http.Problem;

/**
 * The problems of personalization and HES code management, with their stable codes. Details say
 * what to do, never a value (no identity number, name, phone or HES code).
 */
public final class CitizenProblems {
  private CitizenProblems() {}

  /** The same answer for a card registered to someone else and for a card that does not exist. */
  public static Problem cardNotOwned() {
    return Problem.of(403, "CARD_NOT_OWNED", "The card is not registered to you",
        "personalize the card first, or check its number");
  }

  /**
   * The same answer for a card registered to someone else and for a number no card has, when
   * personalizing (see {@link Problem#cardNotAvailable()}).
   */
  public static Problem cardNotAvailable() {
    return Problem.cardNotAvailable();
  }

  public static Problem hesAlreadyPresent() {
    return Problem.of(409, "HES_ALREADY_PRESENT", "The card already has a HES code",
        "a card holds one HES code: update it to replace it");
  }

  public static Problem hesLinkedToOtherCard() {
    return Problem.of(409, "HES_LINKED_TO_OTHER_CARD", "The HES code is linked to another card",
        "a HES code can be linked to one card only: remove it from the other card first");
  }

  public static Problem noHesCode() {
    return Problem.of(404, "NO_HES_CODE", "The card has no HES code", "link a HES code to the card first");
  }
}
