package istanbul.hes.citizen.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.CardStatusUpdate;
import istanbul.hes.cardstore.StatusTransaction;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.citizen.domain.PassportIdentity;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PersonName;
import istanbul.hes.citizen.store.CitizenRefused.Reason;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.keys.PersonKeys;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.ministry.health.HealthStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records behind the citizen API: personalization of a card and the management of its HES
 * code, each change in one transaction of the {@link CardStatusStore} (records, an audit row, then
 * the recomputation of the affected cards, so PostgreSQL and the node's map follow at once).
 *
 * <p>Refusals are {@link CitizenRefused} outcomes (the HTTP layer decides their answers);
 * anything else is a bug or an outage. Personal data is stored encrypted with the
 * {@link IdentityProtector} and found by keyed hash under the {@link LookupKeys} normalization
 * (the same rows the demo population writes); it never appears in a problem, a log line or the
 * audit trail, which holds identity hashes and HES code prefixes only.
 *
 * <p>Decisions:
 * <ul>
 *   <li>Personalizing a card the municipality never issued, or one registered to another person:
 *       409 {@code CARD_NOT_AVAILABLE}, the same answer after the same statement for both, so
 *       the endpoint is no oracle of which card numbers are registered; its detail tells a person
 *       who mistyped to check the number on the card, and the owner of a card registered to
 *       someone else where to go.
 *   <li>Personalizing one's own card again succeeds ({@link Personalized#alreadyOwned()}): the
 *       owner's contact data (names, birth year, phone, phone verification) is replaced by the
 *       latest submission, newly accepted consent versions are recorded, an audit row is written;
 *       the card's status does not change. The same holds for a second card: one owner row per
 *       person, its data refreshed.
 *   <li>HES code operations on a card that is not the caller's, or that does not exist: 403
 *       {@code CARD_NOT_OWNED}, the same problem for both.
 *   <li>Linking the code already linked to the card: success, nothing changes
 *       ({@link Linked#created()} false, no audit row). Updating to the same code: the same.
 *       Updating or viewing a card without a code: 404 {@code NO_HES_CODE}. Removing from a card
 *       without a code: success, {@code false} (an HTTP DELETE retried after a lost answer must
 *       not fail); no audit row.
 *   <li>The ministry's verdict given with a link or update marks the holder risky when it says
 *       RISKY; it never clears a risk (fail closed: a citizen-driven check must not lift a
 *       suspension the delta feed imposed). {@link #recordVerdict} (the system's re-checks)
 *       records RISKLESS as a clearance of a risky holder.
 * </ul>
 *
 * <p>Locking: every writer locks the cards it changes before anything else, a person's cards in
 * card order, as the status store's recomputation does; concurrent links of one code meet at the
 * unique constraint on {@code hes_links.hes_code_hash}, where exactly one wins.
 */
public final class CitizenRepository {
  static final String UNIQUE_VIOLATION = "23505";
  static final String RISK_SOURCE = "HES_CHECK";

  /** Audit actions (also the causes in the card status log). */
  static final String PERSONALIZE = "PERSONALIZE";
  static final String HES_LINK = "HES_LINK";
  static final String HES_UPDATE = "HES_UPDATE";
  static final String HES_REMOVE = "HES_REMOVE";
  static final String HES_CHECK = "HES_CHECK";

  private static final Logger LOG = LoggerFactory.getLogger(CitizenRepository.class);

  private final Pool pool;
  private final CardStatusStore store;
  private final IdentityProtector protector;
  private final PersonKeys keys;

  public CitizenRepository(Pool pool, CardStatusStore store, IdentityProtector protector) {
    this.pool = pool;
    this.store = store;
    this.protector = protector;
    this.keys = new PersonKeys(protector);
  }

  // Personalization

  /**
   * Registers {@code card} to the person. Fails with CARD_NOT_AVAILABLE (409), the same for a
   * card registered to someone else and for a number no card has.
   */
  public Future<Personalized> personalize(long card, Personalization person) {
    String keyName = person.identity().keyName();
    byte[] identityHash = keys.identityHash(keyName);
    Tuple owner = ownerTuple(identityHash, person);
    return store.inTransaction(transaction -> {
      SqlConnection connection = transaction.connection();
      return connection.preparedQuery(CitizenSql.LOCK_CARD_OWNER).execute(Tuple.of(card)).compose(rows -> {
        // One statement, one test, one answer for "no such card" and "someone else's card": the
        // answer and the work before it must not tell which card numbers are registered.
        Row current = rows.size() == 0 ? null : rows.iterator().next();
        boolean alreadyOwned = current != null && current.getLong(0) != null;
        if (current == null || (alreadyOwned && !keys.isPerson(bytes(current, 1), keyName))) {
          return failed(Reason.CARD_NOT_AVAILABLE);
        }
        return keys.movePerson(connection, keyName)
            .compose(moved -> connection.preparedQuery(CitizenSql.UPSERT_OWNER).execute(owner))
            .map(ownerRows -> ownerRows.iterator().next().getLong(0))
            .compose(ownerId -> (alreadyOwned ? Future.<Void>succeededFuture()
                    : connection.preparedQuery(CitizenSql.SET_CARD_OWNER).execute(Tuple.of(card, ownerId)).<Void>mapEmpty())
                .compose(ignored -> consent(connection, ownerId, "KVKK_NOTICE", person.consents().kvkkNoticeVersion(), card,
                    person.consents().collectedAtPoint()))
                .compose(ignored -> consent(connection, ownerId, "HES_DATA_SHARING", person.consents().hesDataSharingVersion(), card,
                    person.consents().collectedAtPoint())))
            .compose(ignored -> audit(connection, identityHash, PERSONALIZE, card, new JsonObject()
                .put("identityKind", kind(person.identity()))
                .put("repeat", alreadyOwned)
                .put("phoneVerified", person.phoneVerified())
                .put("kvkkNoticeVersion", person.consents().kvkkNoticeVersion())
                .put("hesDataSharingVersion", person.consents().hesDataSharingVersion())
                .put("collectedAtPoint", person.consents().collectedAtPoint().orElse(null))))
            .compose(ignored -> transaction.recomputeLocked(new long[] {card}, PERSONALIZE))
            .map(changed -> new Personalized(card, alreadyOwned));
      });
    });
  }

  private Tuple ownerTuple(byte[] identityHash, Personalization person) {
    PersonIdentity identity = person.identity();
    return Tuple.tuple()
        .addValue(Buffer.buffer(identityHash))
        .addValue(kind(identity))
        .addValue(Buffer.buffer(protector.encrypt(identity.documentNumber())))
        .addValue(identity instanceof PassportIdentity passport ? passport.nationality().code() : null)
        .addValue(Buffer.buffer(protector.encrypt(person.firstName().value())))
        .addValue(Buffer.buffer(protector.encrypt(person.lastName().value())))
        .addValue(Buffer.buffer(protector.encrypt(person.phone().value())))
        .addValue((short) person.birthYear().value())
        .addValue(person.phoneVerified())
        .addValue((short) keys.hashKeyId());
  }

  private static String kind(PersonIdentity identity) {
    return identity instanceof PassportIdentity ? "PASSPORT" : "TCKN";
  }

  private static Future<Void> consent(SqlConnection connection, long ownerId, String kind, String version, long card,
      Optional<String> point) {
    return connection.preparedQuery(CitizenSql.INSERT_CONSENT).execute(Tuple.of(ownerId, kind, version, card, point.orElse(null)))
        .mapEmpty();
  }

  // HES code of a card

  /**
   * The caller's card as a HES code operation sees it before asking the ministry: the caller's
   * names (to compare with the ministry's masked answer) and how {@code code} relates to the code
   * linked now. Fails with CARD_NOT_OWNED (403), the same for someone else's card and for a card
   * that does not exist. The write that follows checks all of it again under its locks.
   */
  public Future<CallerCard> callerCard(PersonIdentity caller, long card, HesCode code) {
    return pool.preparedQuery(CitizenSql.CALLER_CARD).execute(Tuple.tuple().addValue(card).addValue(keys.identityHashes(caller.keyName())))
        .compose(rows -> {
          if (rows.size() == 0) {
            return failed(Reason.CARD_NOT_OWNED);
          }
          Row row = rows.iterator().next();
          byte[] linked = bytes(row, 2);
          CallerCard.LinkState state = linked == null ? CallerCard.LinkState.NONE
              : keys.isCode(linked, code.keyName()) ? CallerCard.LinkState.SAME_CODE : CallerCard.LinkState.OTHER_CODE;
          return Future.succeededFuture(new CallerCard(
              PersonName.firstName(protector.decrypt(bytes(row, 0))),
              PersonName.lastName(protector.decrypt(bytes(row, 1))),
              state));
        });
  }

  /** The cards registered to the caller, each with its HES code (masked) if one is linked; none: an empty list. */
  public Future<List<OwnCard>> cards(PersonIdentity caller) {
    return pool.preparedQuery(CitizenSql.CARDS_OF_PERSON).execute(Tuple.tuple().addValue(keys.identityHashes(caller.keyName())))
        .map(rows -> {
          List<OwnCard> cards = new ArrayList<>(rows.size());
          for (Row row : rows) {
            cards.add(new OwnCard(row.getLong(0), row.getValue(1) == null ? Optional.empty() : Optional.of(link(row)),
                row.getBoolean(7)));
          }
          return cards;
        });
  }

  /** The card's HES code, masked. Fails with CARD_NOT_OWNED (403) or NO_HES_CODE (404). */
  public Future<HesLink> view(PersonIdentity caller, long card) {
    return pool.preparedQuery(CitizenSql.VIEW_LINK).execute(Tuple.tuple().addValue(card).addValue(keys.identityHashes(caller.keyName())))
        .compose(rows -> {
          if (rows.size() == 0) {
            return failed(Reason.CARD_NOT_OWNED);
          }
          Row row = rows.iterator().next();
          return row.getValue(1) == null ? failed(Reason.NO_HES_CODE) : Future.succeededFuture(link(row));
        });
  }

  /**
   * Links {@code code} to the caller's card, with the ministry's verdict on it (the caller has
   * checked that the code is valid and the caller's). Fails with CARD_NOT_OWNED (403),
   * HES_ALREADY_PRESENT (409) or HES_LINKED_TO_OTHER_CARD (409).
   */
  public Future<Linked> link(PersonIdentity caller, long card, HesCode code, MinistryVerdict verdict) {
    Tuple values = linkTuple(card, keys.codeHash(code.keyName()), code, verdict);
    return translateUniqueViolation(store.inTransaction(transaction -> {
      SqlConnection connection = transaction.connection();
      Future<long[]> owned = lockOwnedCards(connection, caller, card);
      Future<Void> moved = moveToCurrentKeys(connection, caller, code);
      Future<RowSet<Row>> current = connection.preparedQuery(CitizenSql.LINK_OF_CARD).execute(Tuple.of(card));
      return owned.compose(cards -> moved.compose(ignored -> current).compose(existing -> {
        if (existing.size() > 0) {
          Row row = existing.iterator().next();
          return keys.isCode(bytes(row, 1), code.keyName())
              ? Future.succeededFuture(new Linked(link(row), false))
              : failed(Reason.HES_ALREADY_PRESENT);
        }
        Future<RowSet<Row>> inserted = connection.preparedQuery(CitizenSql.INSERT_LINK).execute(values);
        Future<List<CardStatusUpdate>> after = afterLinkChange(transaction, caller, card, cards, verdict, HES_LINK,
            new JsonObject().put("hesPrefix", code.prefix()).put("ministryStatus", verdict.status().name()));
        return inserted.compose(rows -> after.map(ignored -> new Linked(link(rows.iterator().next()), true)));
      }));
    }));
  }

  /**
   * Replaces the card's HES code. Fails with CARD_NOT_OWNED (403), NO_HES_CODE (404) or
   * HES_LINKED_TO_OTHER_CARD (409).
   */
  public Future<HesLink> update(PersonIdentity caller, long card, HesCode code, MinistryVerdict verdict) {
    Tuple values = linkTuple(card, keys.codeHash(code.keyName()), code, verdict);
    return translateUniqueViolation(store.inTransaction(transaction -> {
      SqlConnection connection = transaction.connection();
      Future<long[]> owned = lockOwnedCards(connection, caller, card);
      Future<Void> moved = moveToCurrentKeys(connection, caller, code);
      Future<RowSet<Row>> current = connection.preparedQuery(CitizenSql.LINK_OF_CARD).execute(Tuple.of(card));
      return owned.compose(cards -> moved.compose(ignored -> current).compose(existing -> {
        if (existing.size() == 0) {
          return failed(Reason.NO_HES_CODE);
        }
        Row previous = existing.iterator().next();
        if (keys.isCode(bytes(previous, 1), code.keyName())) {
          return Future.succeededFuture(link(previous));
        }
        Future<RowSet<Row>> replaced = connection.preparedQuery(CitizenSql.REPLACE_LINK).execute(values);
        Future<List<CardStatusUpdate>> after = afterLinkChange(transaction, caller, card, cards, verdict, HES_UPDATE,
            new JsonObject().put("previousHesPrefix", previous.getString(2)).put("hesPrefix", code.prefix())
                .put("ministryStatus", verdict.status().name()));
        return replaced.compose(rows -> after.map(ignored -> link(rows.iterator().next())));
      }));
    }));
  }

  /**
   * Removes the card's HES code (the card is then denied NO_HES_CODE). True when a code was
   * removed, false when the card had none. Fails with CARD_NOT_OWNED (403).
   */
  public Future<Boolean> remove(PersonIdentity caller, long card) {
    byte[] identityHash = keys.identityHash(caller.keyName());
    return store.inTransaction(transaction -> {
      SqlConnection connection = transaction.connection();
      return lockOwnedCards(connection, caller, card)
          .compose(cards -> keys.movePerson(connection, caller.keyName()))
          .compose(moved -> connection.preparedQuery(CitizenSql.DELETE_LINK).execute(Tuple.of(card)))
          .compose(deleted -> {
            if (deleted.size() == 0) {
              return Future.succeededFuture(false);
            }
            Future<Void> audited = audit(connection, identityHash, HES_REMOVE, card,
                new JsonObject().put("hesPrefix", deleted.iterator().next().getString(0)));
            Future<List<CardStatusUpdate>> recomputed = transaction.recomputeLocked(new long[] {card}, HES_REMOVE);
            return audited.compose(ignored -> recomputed).map(changed -> true);
          });
    });
  }

  /**
   * Records the ministry's verdict on a linked code (a re-check): the link's status, expiry and
   * check time; the holder marked risky (RISKY) or, when a HES check had made them risky, cleared
   * (RISKLESS), source {@value #RISK_SOURCE}; then every card of the holder recomputed. An audit
   * row only when something changed. Empty when the code is not linked to any card (removed meanwhile).
   */
  public Future<Optional<RecordedVerdict>> recordVerdict(HesCode code, MinistryVerdict verdict) {
    return recordCheck(code, CitizenSql.RECORD_VERDICT, List.of(verdict.status().name(), verdict.storedExpiry()),
        verdict.status() == HealthStatus.RISKY ? CitizenSql.MARK_RISKY : CitizenSql.CLEAR_RISK,
        new JsonObject().put("ministryStatus", verdict.status().name()));
  }

  /**
   * Records that the ministry no longer confirms a linked code ({@code reason}: expired or not
   * found): it expires {@code today} at the latest, so its card is denied HES_EXPIRED. The
   * holder's risk is left as it is. Empty when the code is not linked any more.
   */
  public Future<Optional<RecordedVerdict>> recordInvalid(HesCode code, String reason, LocalDate today) {
    return recordCheck(code, CitizenSql.RECORD_INVALID, List.of(today), null, new JsonObject().put("invalid", reason));
  }

  /**
   * One re-check result in one transaction: find the code's card and holder, lock the holder's
   * cards, apply {@code update} ($1 hash, $2 card, then {@code values}; returning the prefix and
   * whether the link changed), then {@code risk} (or none), the audit row if anything changed, and
   * the recomputation of the holder's cards.
   */
  private Future<Optional<RecordedVerdict>> recordCheck(HesCode code, String update, List<Object> values, String risk,
      JsonObject detail) {
    Buffer[] codeHashes = keys.codeHashes(code.keyName());
    return store.inTransaction(transaction -> {
      SqlConnection connection = transaction.connection();
      return connection.preparedQuery(CitizenSql.HOLDER_OF_CODE).execute(Tuple.of(codeHashes)).compose(holders -> {
        if (holders.size() == 0) {
          return Future.succeededFuture(Optional.<RecordedVerdict>empty());
        }
        Row holder = holders.iterator().next();
        long card = holder.getLong(0);
        // The holder as stored, whichever key: the risk written below then joins the owner row.
        Buffer identityHash = holder.getBuffer(1);
        short identityHashKey = holder.getShort(2);
        Tuple arguments = Tuple.of(codeHashes, card);
        values.forEach(arguments::addValue);
        Tuple riskArguments = CitizenSql.MARK_RISKY.equals(risk)
            ? Tuple.of(identityHash, RISK_SOURCE, identityHashKey, null)
            : Tuple.of(identityHash, RISK_SOURCE);
        return connection.preparedQuery(CitizenSql.LOCK_CARDS_OF_PERSON).execute(Tuple.of(new Buffer[] {identityHash}))
            .compose(locked -> connection.preparedQuery(update).execute(arguments).compose(updated -> {
              if (updated.size() == 0) {
                return Future.succeededFuture(Optional.<RecordedVerdict>empty()); // moved before the lock
              }
              Row link = updated.iterator().next();
              Future<Boolean> riskChanged = risk == null ? Future.succeededFuture(false)
                  : connection.preparedQuery(risk).execute(riskArguments).map(rows -> rows.rowCount() > 0);
              return riskChanged
                  .compose(changedRisk -> changedRisk || link.getBoolean(1)
                      ? audit(connection, null, HES_CHECK, card, detail.copy().put("hesPrefix", link.getString(0))
                          .put("riskChanged", changedRisk))
                      : Future.<Void>succeededFuture())
                  .compose(ignored -> transaction.recomputeLocked(cardNumbers(locked), HES_CHECK))
                  .map(changed -> Optional.of(new RecordedVerdict(card, changed.size())));
            }));
      });
    });
  }

  /**
   * Claims at most {@code limit} links last checked before {@code checkedBefore}, oldest first,
   * for this node's re-check (other nodes skip them). A stored code that cannot be read (a
   * retired key, a corrupted value) is logged by card and left out; it stays claimed, so it comes
   * up again one re-check period later rather than in every round.
   */
  public Future<List<DueLink>> claimDueLinks(Instant checkedBefore, int limit) {
    return pool.preparedQuery(CitizenSql.CLAIM_DUE_LINKS)
        .execute(Tuple.of(checkedBefore.atOffset(ZoneOffset.UTC), limit))
        .map(rows -> {
          List<DueLink> due = new ArrayList<>(rows.size());
          for (Row row : rows) {
            long card = row.getLong(0);
            try {
              due.add(new DueLink(card, HesCode.parse(protector.decrypt(bytes(row, 1))), row.getOffsetDateTime(2).toInstant()));
            } catch (RuntimeException unreadable) {
              LOG.error("the HES code linked to card {} cannot be read for its re-check: {}", CardNumber.masked(card),
                  unreadable.getClass().getSimpleName());
            }
          }
          return due;
        });
  }

  /** Gives claimed links back, their previous check time restored: the ministry gave no answer on them. */
  public Future<Void> releaseClaims(List<DueLink> links) {
    if (links.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] cards = links.stream().map(DueLink::card).toArray(Long[]::new);
    OffsetDateTime[] previous = links.stream().map(link -> link.previousCheck().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
    return pool.preparedQuery(CitizenSql.RELEASE_CLAIMS).execute(Tuple.tuple().addValue(cards).addValue(previous)).mapEmpty();
  }

  /** Locks the caller's cards; fails CARD_NOT_OWNED unless {@code card} is one of them. */
  private Future<long[]> lockOwnedCards(SqlConnection connection, PersonIdentity caller, long card) {
    return connection.preparedQuery(CitizenSql.LOCK_CARDS_OF_PERSON).execute(Tuple.of(keys.identityHashes(caller.keyName())))
        .compose(rows -> {
          long[] cards = cardNumbers(rows);
          for (long owned : cards) {
            if (owned == card) {
              return Future.succeededFuture(cards);
            }
          }
          return failed(Reason.CARD_NOT_OWNED);
        });
  }

  /**
   * The caller and the code to the current hash key (a no-op outside a rotation), after the
   * caller's cards are locked: the rows written next, and the unique constraint on the code's
   * hash, then see one key only.
   */
  private Future<Void> moveToCurrentKeys(SqlConnection connection, PersonIdentity caller, HesCode code) {
    return keys.movePerson(connection, caller.keyName()).compose(ignored -> keys.moveCode(connection, code.keyName()));
  }

  /**
   * After a link was written: the verdict's risk, the audit row, the recomputation (of all the
   * holder's cards when the verdict is RISKY, else of this card; a card whose inputs did not change
   * gets no new version). All are sent at once, behind the link's write: the server runs them in
   * order, and the first failure (the link's, say a code linked elsewhere) is the one reported.
   */
  private Future<List<CardStatusUpdate>> afterLinkChange(StatusTransaction transaction, PersonIdentity caller, long card,
      long[] holderCards, MinistryVerdict verdict, String action, JsonObject detail) {
    byte[] identityHash = keys.identityHash(caller.keyName());
    SqlConnection connection = transaction.connection();
    boolean risky = verdict.status() == HealthStatus.RISKY;
    Future<?> risk = risky
        ? connection.preparedQuery(CitizenSql.MARK_RISKY).execute(Tuple.of(Buffer.buffer(identityHash), RISK_SOURCE,
            (short) keys.hashKeyId(), Buffer.buffer(protector.encrypt(caller.keyName()))))
        : Future.succeededFuture();
    Future<Void> audited = audit(connection, identityHash, action, card, detail);
    Future<List<CardStatusUpdate>> recomputed = transaction.recomputeLocked(risky ? holderCards : new long[] {card}, action);
    return risk.compose(ignored -> audited).compose(ignored -> recomputed);
  }

  private Tuple linkTuple(long card, byte[] codeHash, HesCode code, MinistryVerdict verdict) {
    return Tuple.tuple()
        .addValue(card)
        .addValue(Buffer.buffer(codeHash))
        .addValue(Buffer.buffer(protector.encrypt(code.value())))
        .addValue(code.prefix())
        .addValue(verdict.storedExpiry())
        .addValue(verdict.status().name())
        .addValue((short) keys.hashKeyId());
  }

  private Future<Void> audit(SqlConnection connection, byte[] actorHash, String action, long card, JsonObject detail) {
    return connection.preparedQuery(CitizenSql.AUDIT)
        .execute(Tuple.tuple().addValue(actorHash == null ? null : Buffer.buffer(actorHash)).addValue(action)
            .addValue(card).addValue(detail).addValue((short) keys.hashKeyId()))
        .mapEmpty();
  }

  /** A unique violation on the HES code's hash: the code is linked to another card. */
  private static <T> Future<T> translateUniqueViolation(Future<T> future) {
    return future.recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && CitizenSql.HES_CODE_UNIQUE.equals(pg.getConstraint())
        ? failed(Reason.HES_LINKED_TO_OTHER_CARD)
        : Future.failedFuture(failure));
  }

  /** Reads the link columns (card, hash, prefix, status, linked_at, expires_on, checked_at). */
  private static HesLink link(Row row) {
    return new HesLink(
        row.getLong(0),
        HesLink.mask(row.getString(2)),
        HealthStatus.valueOf(row.getString(3)),
        row.getOffsetDateTime(4).toInstant(),
        MinistryVerdict.fromStored(row.getLocalDate(5)),
        row.getOffsetDateTime(6).toInstant());
  }

  private static long[] cardNumbers(RowSet<Row> rows) {
    List<Long> cards = new ArrayList<>(rows.size());
    for (Row row : rows) {
      cards.add(row.getLong(0));
    }
    return cards.stream().mapToLong(Long::longValue).toArray();
  }

  private static byte[] bytes(Row row, int column) {
    Buffer buffer = row.getBuffer(column);
    return buffer == null ? null : buffer.getBytes();
  }

  private static <T> Future<T> failed(Reason reason) {
    return Future.failedFuture(new CitizenRefused(reason));
  }
}
