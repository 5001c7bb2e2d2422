package istanbul.hes.points;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.identity.LookupKeys;
import java.util.Optional;

/**
 * Where a holder check sends its code: to the phone registered with the card's holder when the
 * card is personalized to the person at the counter, to the phone being registered when the card
 * is anonymous (the check then serves its personalization). The refusals are the citizen path's:
 * a card that is not this person's, or no card at all, is the same 403 CARD_NOT_OWNED.
 */
final class CardHolders {
  private final Pool pool;
  private final IdentityProtector protector;

  CardHolders(Pool pool, IdentityProtector protector) {
    this.pool = pool;
    this.protector = protector;
  }

  /** The phone the check's code goes to. */
  Future<PhoneNumber> phoneToCheck(long card, PersonIdentity identity, Optional<PhoneNumber> offered) {
    return pool.preparedQuery(PointsSql.CARD_HOLDER).execute(Tuple.of(card)).map(rows -> {
      if (rows.size() == 0) {
        throw notOwned();
      }
      Row row = rows.iterator().next();
      Buffer holder = row.getBuffer(0);
      if (holder == null) {
        return offered.orElseThrow(() -> Problem.of(ProblemCode.PHONE_REQUIRED,
            "the card is anonymous: send the phone to register with it, the code goes there").exception());
      }
      if (!protector.matches(holder.getBytes(), LookupKeys.IDENTITY_PURPOSE, identity.keyName())) {
        throw notOwned();
      }
      Buffer phone = row.getBuffer(1);
      if (phone == null) {
        throw Problem.of(ProblemCode.HOLDER_PHONE_UNKNOWN,
            "the holder has no registered phone to send the code to; the holder can register one on the portal").exception();
      }
      return PhoneNumber.parse(protector.decrypt(phone.getBytes()), "phone");
    });
  }

  /** The keyed hash the audit names the holder by (owners.identity_hash). */
  byte[] identityHash(PersonIdentity identity) {
    return protector.hash(LookupKeys.IDENTITY_PURPOSE, identity.keyName());
  }

  private static RuntimeException notOwned() {
    return Problem.of(ProblemCode.CARD_NOT_OWNED, "the card is not registered to this holder; check its number "
        + "and the identity document").exception();
  }
}
