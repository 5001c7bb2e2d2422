package istanbul.hes.personaldata;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.keys.PersonKeys;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's rights over what the gateway holds about them (KVKK articles 7 and 11), each approved
 * by two operators: erasure (their owner record, consents, HES links, risk, contacts, audit trail
 * and the identity in their violation reports; their cards stay, anonymous, and the map of every
 * node follows at once through the change log) and export (everything held, read back). The
 * audit keeps only that the request happened, who approved it and how much it touched.
 */
public final class PersonRequests {
  static final String ERASED = "PERSON_ERASED";
  static final String EXPORTED = "PERSON_EXPORTED";

  private final Vertx vertx;
  private final Pool pool;
  private final CardStatusStore store;
  private final PersonKeys keys;
  private final IdentityProtector protector;

  public PersonRequests(Vertx vertx, Pool pool, CardStatusStore store, PersonKeys keys) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.keys = keys;
    this.protector = keys.protector();
  }

  /** Who asked and who approved (operator names, never tokens), and the request's reference (a ticket id). */
  public record Approval(String requestedBy, String approvedBy, String reference) {
    JsonObject toJson() {
      return new JsonObject().put("requestedBy", requestedBy).put("approvedBy", approvedBy).put("reference", reference);
    }
  }

  /** Erases the person; what was removed, by part (all zero when the gateway held nothing). */
  public Future<JsonObject> erase(PersonIdentity person, Approval approval) {
    Buffer[] hashes = keys.identityHashes(person.keyName());
    return store.inTransaction(transaction -> {
      SqlConnection connection = transaction.connection();
      // Cards first, then the owner rows: the order every writer of a person takes its locks in.
      Future<RowSet<Row>> cards = connection.preparedQuery(PersonSql.CARDS).execute(Tuple.of(hashes));
      Future<RowSet<Row>> owners = connection.preparedQuery(PersonSql.OWNERS).execute(Tuple.of(hashes));
      return owners.compose(ownerRows -> cards.compose(cardRows -> {
        Long[] ownerIds = longs(ownerRows);
        Long[] cardNumbers = longs(cardRows);
        long[] locked = java.util.Arrays.stream(cardNumbers).mapToLong(Long::longValue).toArray();
        return connection.preparedQuery(PersonSql.ERASE).execute(Tuple.of(hashes, cardNumbers, ownerIds))
            .compose(erased -> transaction.recomputeUnowningLocked(locked, ERASED)
                .compose(changed -> connection.preparedQuery(PersonSql.DELETE_OWNERS).execute(Tuple.of(ownerIds)))
                .map(deletedOwners -> {
                  Row counts = erased.iterator().next();
                  return new JsonObject()
                      .put("ownerRecords", deletedOwners.rowCount())
                      .put("cardsMadeAnonymous", locked.length)
                      .put("hesLinks", counts.getLong(0))
                      .put("consents", counts.getLong(1))
                      .put("riskRecords", counts.getLong(2))
                      .put("contacts", counts.getLong(3))
                      .put("auditRows", counts.getLong(4))
                      .put("agentActionsAnonymized", counts.getLong(5))
                      .put("reportsErased", counts.getLong(6))
                      .put("reportsErasedOnDelivery", counts.getLong(7));
                }))
            .compose(summary -> connection.preparedQuery(PersonSql.AUDIT)
                .execute(Tuple.of(ERASED, approval.toJson().put("removed", summary.copy())))
                .map(summary));
      }));
    });
  }

  /** Everything the gateway holds about the person, read back (the right of access). */
  public Future<JsonObject> export(PersonIdentity person, Approval approval) {
    Tuple hashes = Tuple.of(keys.identityHashes(person.keyName()));
    return pool.withTransaction(connection -> {
      Future<RowSet<Row>> owners = connection.preparedQuery(PersonSql.EXPORT_OWNERS).execute(hashes);
      Future<RowSet<Row>> cards = connection.preparedQuery(PersonSql.EXPORT_CARDS).execute(hashes);
      Future<RowSet<Row>> consents = connection.preparedQuery(PersonSql.EXPORT_CONSENTS).execute(hashes);
      Future<RowSet<Row>> risk = connection.preparedQuery(PersonSql.EXPORT_RISK).execute(hashes);
      Future<RowSet<Row>> contacts = connection.preparedQuery(PersonSql.EXPORT_CONTACTS).execute(hashes);
      Future<RowSet<Row>> audit = connection.preparedQuery(PersonSql.EXPORT_AUDIT).execute(hashes);
      Future<RowSet<Row>> agents = connection.preparedQuery(PersonSql.EXPORT_AGENT_ACTIONS).execute(hashes);
      Future<RowSet<Row>> reports = connection.preparedQuery(PersonSql.EXPORT_REPORTS).execute(hashes);
      Future<Void> audited = connection.preparedQuery(PersonSql.AUDIT).execute(Tuple.of(EXPORTED, approval.toJson())).mapEmpty();
      return Future.all(List.of(owners, cards, consents, risk, contacts, audit, agents, reports, audited))
          // Decryption of every value on a worker, not on the event loop.
          .compose(all -> vertx.executeBlocking(() -> new JsonObject()
              .put("owner", owner(owners.result()))
              .put("cards", cards(cards.result()))
              .put("consents", rows(consents.result(), "kind", "version", "givenAt", "card", "collectedAtPoint"))
              .put("risk", rows(risk.result(), "risky", "source", "changedAt"))
              .put("contacts", contacts(contacts.result()))
              .put("auditTrail", rows(audit.result(), "at", "action", "card"))
              .put("salesPointActions", rows(agents.result(), "at", "point", "action", "card", "status"))
              .put("violationReports", rows(reports.result(), "card", "validator", "firstAt", "lastAt", "taps", "state",
                  "deliveredAt")), false));
    });
  }

  private JsonObject owner(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return null;
    }
    Row row = rows.iterator().next();
    return new JsonObject()
        .put("identityKind", row.getString(1))
        .put("identityNumber", open(row, 2))
        .put("nationality", row.getString(3))
        .put("firstName", open(row, 4))
        .put("lastName", open(row, 5))
        .put("phone", open(row, 6))
        .put("birthYear", row.getValue(7))
        .put("registeredAt", time(row.getOffsetDateTime(8)))
        .put("updatedAt", time(row.getOffsetDateTime(9)))
        .put("phoneVerifiedAt", time(row.getOffsetDateTime(10)));
  }

  private JsonArray cards(RowSet<Row> rows) {
    JsonArray cards = new JsonArray();
    for (Row row : rows) {
      JsonObject card = new JsonObject()
          .put("card", CardNumber.format(row.getLong(0)))
          .put("kind", row.getString(1))
          .put("blocked", row.getBoolean(2))
          .put("risky", row.getBoolean(5));
      if (row.getValue(6) != null) {
        card.put("hesCode", new JsonObject()
            .put("code", open(row, 6))
            .put("expiresOn", String.valueOf(row.getLocalDate(7)))
            .put("ministryStatus", row.getString(8))
            .put("linkedAt", time(row.getOffsetDateTime(9)))
            .put("checkedAt", time(row.getOffsetDateTime(10))));
      }
      cards.add(card);
    }
    return cards;
  }

  private JsonArray contacts(RowSet<Row> rows) {
    JsonArray contacts = new JsonArray();
    for (Row row : rows) {
      contacts.add(new JsonObject()
          .put("card", CardNumber.format(row.getLong(0)))
          .put("channel", row.getString(1))
          .put("address", row.getValue(2) == null ? null : open(row, 2))
          .put("language", row.getString(3))
          .put("consentAt", time(row.getOffsetDateTime(4)))
          .put("optedOutAt", time(row.getOffsetDateTime(5))));
    }
    return contacts;
  }

  /** Rows as objects with these field names: times as instants, card numbers formatted. */
  private static JsonArray rows(RowSet<Row> rows, String... names) {
    JsonArray all = new JsonArray();
    for (Row row : rows) {
      JsonObject object = new JsonObject();
      for (int i = 0; i < names.length; i++) {
        Object value = row.getValue(i);
        if (value instanceof OffsetDateTime at) {
          value = at.toInstant().toString();
        } else if ("card".equals(names[i]) && value instanceof Long card) {
          value = CardNumber.format(card);
        } else if (value != null && !(value instanceof Boolean) && !(value instanceof Number) && !(value instanceof String)) {
          value = value.toString();
        }
        object.put(names[i], value);
      }
      all.add(object);
    }
    return all;
  }

  private String open(Row row, int column) {
    Buffer sealed = row.getBuffer(column);
    return sealed == null ? null : protector.decrypt(sealed.getBytes());
  }

  private static String time(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }

  private static Long[] longs(RowSet<Row> rows) {
    List<Long> values = new ArrayList<>(rows.size());
    rows.forEach(row -> values.add(row.getLong(0)));
    return values.toArray(Long[]::new);
  }
}
