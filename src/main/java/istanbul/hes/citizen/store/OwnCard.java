package istanbul.hes.citizen.store;

import istanbul.hes.cardstore.CardNumber;
import java.util.Optional;

/** A card registered to the person asking, as their profile lists it: its HES code (masked) if linked, and whether it is blocked. */
public record OwnCard(long card, Optional<HesLink> link, boolean blocked) {
  /** More cards than a person holds (family cards included); the list stops there. */
  public static final int MAX_LISTED = 100;

  @Override
  public String toString() {
    return "OwnCard[" + CardNumber.masked(card) + ", " + link.map(HesLink::maskedHesCode).orElse("no code") + (blocked ? ", blocked" : "") + "]";
  }
}
