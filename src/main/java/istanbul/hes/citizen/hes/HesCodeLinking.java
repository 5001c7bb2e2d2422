package istanbul.hes.citizen.hes;

import io.vertx.core.Future;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.citizen.domain.HesOwnership;
import istanbul.hes.citizen.domain.MaskedHolder;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.store.CallerCard;
import istanbul.hes.citizen.store.CitizenRefused;
import istanbul.hes.citizen.store.CitizenRepository;
import istanbul.hes.citizen.store.HesLink;
import istanbul.hes.citizen.store.Linked;
import istanbul.hes.citizen.store.MinistryVerdict;
import istanbul.hes.ministry.health.HealthMinistryClient;
import istanbul.hes.ministry.health.HesCheck;
import istanbul.hes.ministry.health.HesCodeExpired;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Linking and updating a card's HES code: the caller's card is checked first (ownership and the
 * current link, so a request that must fail does not cost a ministry call), then the Ministry of
 * Health is asked about the code, its masked answer is compared with the caller's own identity and
 * names ({@link HesOwnership}), and the verdict is written with the link.
 *
 * <p>Failures: the repository's problems (CARD_NOT_OWNED, HES_ALREADY_PRESENT, NO_HES_CODE,
 * HES_LINKED_TO_OTHER_CARD), HES_NOT_OWNED (403), and the ministry client's exceptions
 * ({@code HesCodeNotFound}, {@code HesCodeExpired}, {@code MinistryUnavailable}), which the API maps.
 */
public final class HesCodeLinking {
  private final HealthMinistryClient ministry;
  private final CitizenRepository repository;
  private final Clock clock;
  private final ZoneId zone;

  public HesCodeLinking(HealthMinistryClient ministry, CitizenRepository repository, Clock clock, ZoneId zone) {
    this.ministry = ministry;
    this.repository = repository;
    this.clock = clock;
    this.zone = zone;
  }

  /** Links {@code code} to the caller's card; linking the code the card already holds changes nothing. */
  public Future<Linked> link(PersonIdentity caller, long card, HesCode code) {
    return repository.callerCard(caller, card, code).compose(holder -> switch (holder.link()) {
      case SAME_CODE -> repository.view(caller, card).map(current -> new Linked(current, false));
      case OTHER_CODE -> Future.failedFuture(new CitizenRefused(CitizenRefused.Reason.HES_ALREADY_PRESENT));
      case NONE -> verdict(caller, holder, code).compose(verdict -> repository.link(caller, card, code, verdict));
    });
  }

  /** Replaces the card's code; "replacing" it with the code it holds changes nothing. */
  public Future<HesLink> update(PersonIdentity caller, long card, HesCode code) {
    return repository.callerCard(caller, card, code).compose(holder -> switch (holder.link()) {
      case NONE -> Future.failedFuture(new CitizenRefused(CitizenRefused.Reason.NO_HES_CODE));
      case SAME_CODE -> repository.view(caller, card);
      case OTHER_CODE -> verdict(caller, holder, code).compose(verdict -> repository.update(caller, card, code, verdict));
    });
  }

  /** What a 503 MINISTRY_UNAVAILABLE suggests in Retry-After: the ministry client's breaker pause. */
  public int retryAfterSeconds() {
    return ministry.retryAfterSeconds();
  }

  /** The ministry's verdict on a code it confirmed to be the caller's, still valid today. */
  private Future<MinistryVerdict> verdict(PersonIdentity caller, CallerCard holder, HesCode code) {
    return ministry.check(code.value()).compose(check -> {
      HesOwnership.Result ownership = HesOwnership.check(caller, holder.firstName(), holder.lastName(), maskedHolder(check));
      if (!ownership.owned()) {
        return Future.failedFuture(new CitizenRefused(CitizenRefused.Reason.HES_NOT_OWNED, ownership.detail()));
      }
      // The ministry answers "expired" itself; a code whose expiry day has come (taps deny it from
      // that day on, as TapDecider does) is refused as well rather than linked to be denied.
      LocalDate today = LocalDate.now(clock.withZone(zone));
      if (check.expiresOn().isPresent() && !check.expiresOn().get().isAfter(today)) {
        return Future.failedFuture(new HesCodeExpired(code.value()));
      }
      return Future.succeededFuture(MinistryVerdict.of(check));
    });
  }

  private static MaskedHolder maskedHolder(HesCheck check) {
    return new MaskedHolder(check.maskedIdentityNumber(), check.maskedFirstName(), check.maskedLastName());
  }

}
