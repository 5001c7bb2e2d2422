package istanbul.hes.demo;

import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.demo.DemoPopulation.Profile;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.simulator.identity.IdentityProviderSimulator.Person;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the demo's development identity provider offers on its sign-in page, each with what the
 * person trying the portal needs to type: the walk-through's new person and foreign visitor (an
 * anonymous card each to personalize, their phone and HES codes), and two generated holders, one
 * whose card has no HES code and one whose card has. Synthetic people, shown only by the demo.
 */
final class DemoPortalPeople {
  private DemoPortalPeople() {}

  static List<Person> of(long cards) {
    List<Person> people = new ArrayList<>();
    long first = DemoPopulation.find(Profile.NOT_PERSONALIZED, 0, cards);
    people.add(new Person(LookupKeys.tcknIdentity(DemoWalkThrough.TCKN),
        DemoWalkThrough.FIRST_NAME + " " + DemoWalkThrough.LAST_NAME,
        "TCKN " + DemoWalkThrough.TCKN + ", born " + DemoWalkThrough.BIRTH_YEAR + ", phone " + DemoWalkThrough.PHONE
            + (first >= 0 ? "; anonymous card to personalize " + CardNumber.printed(DemoPopulation.cardNumber(first)) : "")
            + "; HES codes " + DemoWalkThrough.FIRST_CODE + " and " + DemoWalkThrough.SECOND_CODE));
    // The second anonymous card is the one the demo's printed taps show NOT_PERSONALIZED: the visitor takes the third.
    long visitorCard = first < 0 ? -1 : DemoPopulation.find(Profile.NOT_PERSONALIZED,
        Math.max(first, DemoPopulation.find(Profile.NOT_PERSONALIZED, first + 1, cards)) + 1, cards);
    people.add(new Person(LookupKeys.passportIdentity(DemoWalkThrough.VISITOR_NATIONALITY, DemoWalkThrough.VISITOR_PASSPORT),
        DemoWalkThrough.VISITOR_FIRST_NAME + " " + DemoWalkThrough.VISITOR_LAST_NAME + " (visitor)",
        "passport " + DemoWalkThrough.VISITOR_PASSPORT + " (" + DemoWalkThrough.VISITOR_NATIONALITY + "), born "
            + DemoWalkThrough.VISITOR_BIRTH_YEAR + ", phone " + DemoWalkThrough.VISITOR_PHONE
            + (visitorCard >= 0 ? "; anonymous card to personalize " + CardNumber.printed(DemoPopulation.cardNumber(visitorCard)) : "")
            + "; HES code " + DemoWalkThrough.VISITOR_CODE));
    holder(people, Profile.NO_HES_CODE, cards, "has no HES code linked");
    holder(people, Profile.ALLOW, cards, "has the first one linked");
    return people;
  }

  private static void holder(List<Person> people, Profile profile, long cards, String state) {
    long index = DemoPopulation.find(profile, 0, cards);
    if (index < 0) {
      return;
    }
    String identity = DemoPopulation.foreigner(index)
        ? "passport " + DemoPopulation.passportNumber(index) + " (" + DemoPopulation.nationality(index) + ")"
        : "TCKN " + DemoPopulation.tckn(index);
    people.add(new Person(DemoPopulation.identityKey(index), DemoPopulation.firstName(index) + " " + DemoPopulation.lastName(index),
        identity + "; card " + CardNumber.printed(DemoPopulation.cardNumber(index)) + " " + state + "; their HES codes "
            + HesCode.parse(DemoPopulation.hesCode(index)).printed() + " and "
            + HesCode.parse(DemoPopulation.alternateHesCode(index)).printed()));
  }
}
