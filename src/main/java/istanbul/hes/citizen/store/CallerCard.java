package istanbul.hes.citizen.store;

import istanbul.hes.citizen.domain.PersonName;

/**
 * One of the caller's cards, as a HES code operation checks it before asking the ministry: the
 * caller's names as stored at personalization, and how the submitted code relates to the card's
 * current link. Personal data: {@link #toString()} shows none.
 */
public record CallerCard(PersonName firstName, PersonName lastName, LinkState link) {
  /** The card's current link, compared with the submitted code. */
  public enum LinkState {
    /** The card has no HES code. */
    NONE,
    /** The card holds exactly the submitted code. */
    SAME_CODE,
    /** The card holds another code. */
    OTHER_CODE
  }

  @Override
  public String toString() {
    return "CallerCard[" + link + "]";
  }
}
