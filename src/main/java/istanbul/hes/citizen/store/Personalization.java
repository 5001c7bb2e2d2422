package istanbul.hes.citizen.store;

import istanbul.hes.citizen.domain.BirthYear;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PersonName;
import istanbul.hes.citizen.domain.PhoneNumber;
import java.util.Objects;

/**
 * What a person submits to personalize a card, already validated by the domain types. The
 * identity is the caller's (the HTTP layer checks that the submitted identity is the token's
 * subject); {@code phoneVerified} says the challenge sent to {@code phone} was answered.
 * Personal data: {@link #toString()} shows masked values only (the domain types mask themselves).
 */
public record Personalization(
    PersonIdentity identity,
    PersonName firstName,
    PersonName lastName,
    BirthYear birthYear,
    PhoneNumber phone,
    boolean phoneVerified,
    Consents consents) {

  public Personalization {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(firstName, "firstName");
    Objects.requireNonNull(lastName, "lastName");
    Objects.requireNonNull(birthYear, "birthYear");
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(consents, "consents");
  }
}
