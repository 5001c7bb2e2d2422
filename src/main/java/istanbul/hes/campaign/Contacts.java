package istanbul.hes.campaign;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.keys.PersonKeys;

/**
 * The contacts people register for the anonymous cards they hold, to be told how to personalize
 * them: encrypted like all personal data, found by keyed hash only (the person, and for a keyword
 * opt-out the phone). A contact is withdrawn by its person (the address is wiped), by the opt-out
 * link of any notice, or by an SMS keyword from its phone; each takes effect for the next notice
 * any node sends, the sender reading it as it claims the notice.
 */
public final class Contacts {
  static final String PHONE_PURPOSE = "campaign-phone";
  private static final String PUSH_PURPOSE = "campaign-push";

  private final Pool pool;
  private final IdentityProtector protector;
  private final Notices notices;
  private final PersonKeys keys;

  Contacts(Pool pool, IdentityProtector protector, Notices notices) {
    this.pool = pool;
    this.protector = protector;
    this.keys = new PersonKeys(protector);
    this.notices = notices;
  }

  /**
   * Registers the person's contact for an anonymous card (renewing it, with the new consent, if
   * there is one). A personalized card and a number no card has are the same 409
   * CARD_NOT_AVAILABLE: the answer does not tell which numbers are personalized.
   */
  Future<JsonObject> register(long card, PersonIdentity person, Channel channel, String address, String language) {
    return pool.preparedQuery(CampaignSql.CARD_IS_ANONYMOUS).execute(Tuple.of(card)).compose(rows -> {
      if (rows.size() == 0 || !rows.iterator().next().getBoolean(0)) {
        return Future.failedFuture(Problem.of(ProblemCode.CARD_NOT_AVAILABLE, "personalization notices are for anonymous cards: "
            + "this card is personalized already, or no card has this number").exception());
      }
      Tuple contact = Tuple.of(card, Buffer.buffer(keys.identityHash(person.keyName())), channel.name(),
          Buffer.buffer(protector.encrypt(address)), Buffer.buffer(protector.hash(addressPurpose(channel.name()), address)), language,
          (short) protector.hashKeyId(), Buffer.buffer(protector.encrypt(person.keyName())));
      return pool.withConnection(connection -> keys.movePerson(connection, person.keyName())
          .compose(moved -> connection.preparedQuery(CampaignSql.UPSERT_CONTACT).execute(contact))).map(saved -> {
        Row row = saved.iterator().next();
        return new JsonObject()
            .put("card", Long.toString(card))
            .put("channel", channel.name())
            .put("language", language)
            .put("consentAt", row.getOffsetDateTime(1).toInstant().toString());
      });
    });
  }

  /** The person withdraws their contact for the card: its address is wiped at once. */
  Future<Void> remove(long card, PersonIdentity person) {
    return pool.preparedQuery(CampaignSql.REMOVE_CONTACT).execute(Tuple.tuple().addValue(card).addValue(keys.identityHashes(person.keyName()))).mapEmpty();
  }

  /** A notice's opt-out link; false when the token is not one of this gateway's. */
  Future<Boolean> optOut(String token) {
    return notices.contactOf(token)
        .map(contact -> pool.preparedQuery(CampaignSql.OPT_OUT_CONTACT).execute(Tuple.of(contact)).map(rows -> rows.rowCount() > 0))
        .orElse(Future.succeededFuture(false));
  }

  /** An opt-out keyword sent from a phone: every SMS contact with that phone; how many were opted out. */
  Future<Integer> optOutPhone(PhoneNumber phone) {
    return pool.preparedQuery(CampaignSql.OPT_OUT_PHONE).execute(Tuple.of(keys.lookupHashes(PHONE_PURPOSE, phone.value())))
        .map(rows -> rows.rowCount());
  }

  /** The purpose an address is hashed under (the key rotation job re-hashes addresses with it). */
  public static String addressPurpose(String channel) {
    return Channel.SMS.name().equals(channel) ? PHONE_PURPOSE : PUSH_PURPOSE;
  }
}
