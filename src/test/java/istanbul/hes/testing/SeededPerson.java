package istanbul.hes.testing;

import istanbul.hes.citizen.domain.PassportIdentity;
import istanbul.hes.citizen.domain.PersonIdentity;
import java.util.List;

/**
 * A person the {@link CardSeeder} registered as the owner of {@code cards} (no HES code linked):
 * the identity and names are what the ministry simulator must be given to issue this person's
 * codes; {@code phone} is the registered one (E.164). All of it is synthetic and registered with {@link Pii}.
 */
public record SeededPerson(PersonIdentity identity, String firstName, String lastName, String phone, List<Long> cards) {
  /** The identity key: a citizen token's subject. */
  public String subject() {
    return identity.keyName();
  }

  /** The number the Ministry of Health knows the person by (TCKN or passport number). */
  public String documentNumber() {
    return identity.documentNumber();
  }

  public long card() {
    return cards.get(0);
  }

  public boolean foreigner() {
    return identity instanceof PassportIdentity;
  }
}
