package istanbul.hes.keys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.campaign.Contacts;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.identity.LookupKeys;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * One kind of personal record the key rotation job moves to the current keys: which rows are due
 * (after a position, under some other key, locked), how they are moved (the cryptography on a
 * worker, then set-based updates), and how a full count is taken. The kinds, in the order the job
 * takes them, each once those before it are done: people first (owners, then the risks and
 * contacts of people without an owner row), HES links, violation reports, and last the audit
 * trails' pseudonyms of people the gateway no longer holds.
 */
abstract class RotatedRecords {
  /** What one batch did, and where the next one starts. */
  record Batch(int rows, long moved, long forgotten, long unrecoverable, long conflicts, String position) {}

  final String kind;
  final String start;
  final String due;
  final String count;
  final Vertx vertx;
  final IdentityProtector protector;
  final PersonKeys keys;

  RotatedRecords(String kind, String start, String due, String count, Vertx vertx, PersonKeys keys) {
    this.kind = kind;
    this.start = start;
    this.due = due;
    this.count = count;
    this.vertx = vertx;
    this.keys = keys;
    this.protector = keys.protector();
  }

  /** Moves the due rows (locked by this transaction); {@code due} is not empty. */
  final Future<Batch> move(SqlConnection connection, RowSet<Row> due) {
    List<Row> rows = new ArrayList<>(due.size());
    due.forEach(rows::add);
    return move(connection, rows, position(rows.get(rows.size() - 1)));
  }

  /** Where the next batch starts: after this row's key (its first column). */
  String position(Row last) {
    return Long.toString(last.getLong(0));
  }

  /** Moves these rows; the batch's {@link Batch#position} is {@code position}. */
  abstract Future<Batch> move(SqlConnection connection, List<Row> rows, String position);

  static List<RotatedRecords> all(Vertx vertx, PersonKeys keys) {
    return List.of(new Owners(vertx, keys), new Risks(vertx, keys), new ContactsKind(vertx, keys), new Links(vertx, keys),
        new Reports(vertx, keys), new Pseudonyms("audit_log", KeyRotationSql.AUDIT_DUE, KeyRotationSql.AUDIT_FORGET,
            KeyRotationSql.AUDIT_COUNT, vertx, keys),
        new Pseudonyms("agent_actions", KeyRotationSql.AGENT_ACTIONS_DUE, KeyRotationSql.AGENT_ACTIONS_FORGET,
            KeyRotationSql.AGENT_ACTIONS_COUNT, vertx, keys));
  }

  /** Every kind, in the job's order ({@link #all}). */
  static final List<String> KINDS =
      List.of("owners", "person_risk", "campaign_contacts", "hes_links", "violation_outbox", "audit_log", "agent_actions");

  /**
   * The kinds a kind waits for: those before it, until each has finished a pass that moved
   * nothing towards the current keys. Moving a person touches later kinds' rows (audit, contacts),
   * so a later kind's count is final only then; and the audit trails' pseudonyms are forgotten
   * only once every person the gateway holds has been moved.
   */
  static String[] before(String kind) {
    return KINDS.subList(0, KINDS.indexOf(kind)).toArray(String[]::new);
  }

  <T> Future<T> onWorker(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** A sealed value under the current key: as it is when it is already. */
  byte[] resealed(byte[] sealed) {
    if (sealed == null || IdentityProtector.keyIdOf(sealed) == protector.encryptionKeyId()) {
      return sealed;
    }
    return protector.encrypt(protector.decrypt(sealed));
  }

  static byte[] bytes(Row row, int column) {
    Buffer buffer = row.getBuffer(column);
    return buffer == null ? null : buffer.getBytes();
  }

  static Buffer buffer(byte[] bytes) {
    return bytes == null ? null : Buffer.buffer(bytes);
  }

  /** Moves people (old hash → current hash) in every table that names them; the count of owners moved. */
  Future<Void> movePeople(SqlConnection connection, List<Buffer> old, List<Buffer> current) {
    return old.isEmpty() ? Future.succeededFuture()
        : keys.movePeopleByHash(connection, old.toArray(Buffer[]::new), current.toArray(Buffer[]::new));
  }

  private static final class Owners extends RotatedRecords {
    Owners(Vertx vertx, PersonKeys keys) {
      super("owners", "-1", KeyRotationSql.OWNERS_DUE, KeyRotationSql.OWNERS_COUNT, vertx, keys);
    }

    private record Moved(long id, byte[] oldHash, byte[] newHash, byte[] identity, byte[] first, byte[] last, byte[] phone) {}

    private record Sealed(List<Moved> moved, long unreadable) {}

    @Override
    Future<Batch> move(SqlConnection connection, List<Row> rows, String position) {
      return onWorker(() -> {
        List<Moved> moved = new ArrayList<>();
        long unreadable = 0;
        for (Row row : rows) {
          try {
            byte[] identity = bytes(row, 5);
            String document = protector.decrypt(identity);
            String person = "TCKN".equals(row.getString(3)) ? LookupKeys.tcknIdentity(document)
                : LookupKeys.passportIdentity(row.getString(4), document);
            moved.add(new Moved(row.getLong(0), bytes(row, 1), keys.identityHash(person), resealed(identity),
                resealed(bytes(row, 6)), resealed(bytes(row, 7)), resealed(bytes(row, 8))));
          } catch (IllegalArgumentException unreadableValue) {
            unreadable++;
          }
        }
        return new Sealed(moved, unreadable);
      }).compose(sealed -> {
        List<Moved> moved = sealed.moved();
        long unreadable = sealed.unreadable();
        Tuple reseal = Tuple.tuple()
            .addValue(moved.stream().map(Moved::id).toArray(Long[]::new))
            .addValue(moved.stream().map(m -> buffer(m.identity())).toArray(Buffer[]::new))
            .addValue(moved.stream().map(m -> buffer(m.first())).toArray(Buffer[]::new))
            .addValue(moved.stream().map(m -> buffer(m.last())).toArray(Buffer[]::new))
            .addValue(moved.stream().map(m -> buffer(m.phone())).toArray(Buffer[]::new));
        List<Buffer> old = new ArrayList<>();
        List<Buffer> current = new ArrayList<>();
        for (Moved m : moved) {
          if (!java.util.Arrays.equals(m.oldHash(), m.newHash())) {
            old.add(Buffer.buffer(m.oldHash()));
            current.add(Buffer.buffer(m.newHash()));
          }
        }
        return connection.preparedQuery(KeyRotationSql.OWNERS_RESEAL).execute(reseal)
            .compose(ignored -> movePeople(connection, old, current))
            // An owner left under its old hash had a second owner row under the new one: a conflict.
            .compose(ignored -> connection.preparedQuery(KeyRotationSql.OWNERS_LEFT)
                .execute(Tuple.of(old.toArray(Buffer[]::new))))
            .map(left -> {
              long conflicts = left.iterator().next().getLong(0);
              return new Batch(rows.size(), moved.size() - conflicts, 0, unreadable, conflicts, position);
            });
      });
    }
  }

  /** People's old and current hashes, pairwise, their sealed identities, and the rows that could not be read. */
  private record Rehashed(List<Buffer> old, List<Buffer> current, List<Buffer> sealed, long unrecoverable) {}

  private static final class Risks extends RotatedRecords {
    Risks(Vertx vertx, PersonKeys keys) {
      super("person_risk", "", KeyRotationSql.RISKS_DUE, KeyRotationSql.RISKS_COUNT, vertx, keys);
    }

    @Override
    String position(Row last) {
      return HexFormat.of().formatHex(bytes(last, 0));
    }

    @Override
    Future<Batch> move(SqlConnection connection, List<Row> rows, String position) {
      return onWorker(() -> {
        List<Buffer> old = new ArrayList<>();
        List<Buffer> current = new ArrayList<>();
        List<Buffer> sealed = new ArrayList<>();
        long unrecoverable = 0;
        for (Row row : rows) {
          byte[] identity = bytes(row, 2);
          if (identity == null) {
            unrecoverable++; // held before V14 for someone without a card: nothing to re-hash from
            continue;
          }
          try {
            byte[] hash = keys.identityHash(protector.decrypt(identity));
            old.add(Buffer.buffer(bytes(row, 0)));
            current.add(Buffer.buffer(hash));
            sealed.add(Buffer.buffer(resealed(identity)));
          } catch (IllegalArgumentException unreadable) {
            unrecoverable++;
          }
        }
        return new Rehashed(old, current, sealed, unrecoverable);
      }).compose(rehashed -> {
        List<Buffer> old = rehashed.old();
        List<Buffer> current = rehashed.current();
        List<Buffer> sealed = rehashed.sealed();
        long unrecoverable = rehashed.unrecoverable();
        if (old.isEmpty()) {
          return Future.succeededFuture(new Batch(rows.size(), 0, 0, unrecoverable, 0, position));
        }
        Buffer[] from = old.toArray(Buffer[]::new);
        Buffer[] to = current.toArray(Buffer[]::new);
        return connection.preparedQuery(KeyRotationSql.RISKS_MERGE).execute(Tuple.tuple().addValue(from).addValue(to))
            .compose(merged -> movePeople(connection, old, current))
            .compose(ignored -> connection.preparedQuery(KeyRotationSql.RISKS_RESEAL).execute(Tuple.tuple().addValue(to).addValue(sealed.toArray(Buffer[]::new))))
            .map(ignored -> new Batch(rows.size(), old.size(), 0, unrecoverable, 0, position));
      });
    }
  }

  private record Resealed(List<Long> ids, List<Buffer> holders, List<Buffer> addresses, List<Buffer> addressHashes,
      Rehashed holdersMoved) {}

  private static final class ContactsKind extends RotatedRecords {
    ContactsKind(Vertx vertx, PersonKeys keys) {
      super("campaign_contacts", "-1", KeyRotationSql.CONTACTS_DUE, KeyRotationSql.CONTACTS_COUNT, vertx, keys);
    }

    @Override
    Future<Batch> move(SqlConnection connection, List<Row> rows, String position) {
      int hashKey = protector.hashKeyId();
      return onWorker(() -> {
        List<Long> ids = new ArrayList<>();
        List<Buffer> holders = new ArrayList<>();
        List<Buffer> addresses = new ArrayList<>();
        List<Buffer> addressHashes = new ArrayList<>();
        List<Buffer> old = new ArrayList<>();
        List<Buffer> current = new ArrayList<>();
        long unrecoverable = 0;
        for (Row row : rows) {
          try {
            byte[] holder = bytes(row, 3);
            byte[] address = bytes(row, 5);
            String clearAddress = address == null ? null : protector.decrypt(address);
            ids.add(row.getLong(0));
            holders.add(buffer(resealed(holder)));
            addresses.add(buffer(resealed(address)));
            addressHashes.add(clearAddress == null ? null
                : Buffer.buffer(protector.hash(Contacts.addressPurpose(row.getString(4)), clearAddress)));
            if (row.getShort(2) != hashKey) {
              if (holder != null) {
                old.add(Buffer.buffer(bytes(row, 1)));
                current.add(Buffer.buffer(keys.identityHash(protector.decrypt(holder))));
              } else if (!row.getBoolean(7)) {
                unrecoverable++; // registered before V14 by someone who is not an owner
              }
            }
          } catch (IllegalArgumentException unreadable) {
            unrecoverable++;
          }
        }
        return new Resealed(ids, holders, addresses, addressHashes, new Rehashed(old, current, List.of(), unrecoverable));
      }).compose(resealed -> {
        Tuple reseal = Tuple.tuple().addValue(resealed.ids().toArray(Long[]::new))
            .addValue(resealed.holders().toArray(Buffer[]::new))
            .addValue(resealed.addresses().toArray(Buffer[]::new))
            .addValue(resealed.addressHashes().toArray(Buffer[]::new))
            .addValue((short) hashKey);
        Rehashed holders = resealed.holdersMoved();
        return connection.preparedQuery(KeyRotationSql.CONTACTS_RESEAL).execute(reseal)
            .compose(ignored -> movePeople(connection, holders.old(), holders.current()))
            .map(ignored -> new Batch(rows.size(), resealed.ids().size(), 0, holders.unrecoverable(), 0, position));
      });
    }
  }

  private record Codes(List<Long> cards, List<Buffer> hashes, List<Buffer> sealed, long unreadable) {}

  private static final class Links extends RotatedRecords {
    Links(Vertx vertx, PersonKeys keys) {
      super("hes_links", "-1", KeyRotationSql.LINKS_DUE, KeyRotationSql.LINKS_COUNT, vertx, keys);
    }

    @Override
    Future<Batch> move(SqlConnection connection, List<Row> rows, String position) {
      return onWorker(() -> {
        List<Long> cards = new ArrayList<>();
        List<Buffer> hashes = new ArrayList<>();
        List<Buffer> sealed = new ArrayList<>();
        long unreadable = 0;
        for (Row row : rows) {
          try {
            byte[] code = bytes(row, 1);
            hashes.add(Buffer.buffer(keys.codeHash(protector.decrypt(code))));
            sealed.add(Buffer.buffer(resealed(code)));
            cards.add(row.getLong(0));
          } catch (IllegalArgumentException e) {
            unreadable++;
          }
        }
        return new Codes(cards, hashes, sealed, unreadable);
      }).compose(codes -> {
        List<Long> cards = codes.cards();
        List<Buffer> hashes = codes.hashes();
        List<Buffer> sealed = codes.sealed();
        long unreadable = codes.unreadable();
        return connection.preparedQuery(KeyRotationSql.LINKS_MOVE)
            .execute(Tuple.of(cards.toArray(Long[]::new), hashes.toArray(Buffer[]::new), sealed.toArray(Buffer[]::new),
                (short) protector.hashKeyId()))
            .map(movedRows -> new Batch(rows.size(), movedRows.rowCount(), 0, unreadable, cards.size() - movedRows.rowCount(),
                position));
      });
    }
  }

  private static final class Reports extends RotatedRecords {
    private record Sealed(List<UUID> ids, List<Buffer> identities, List<Buffer> codes, long unreadable) {}

    Reports(Vertx vertx, PersonKeys keys) {
      super("violation_outbox", new UUID(0, 0).toString(), KeyRotationSql.REPORTS_DUE, KeyRotationSql.REPORTS_COUNT, vertx, keys);
    }

    @Override
    String position(Row last) {
      return last.getString(0);
    }

    @Override
    Future<Batch> move(SqlConnection connection, List<Row> rows, String position) {
      return onWorker(() -> {
        List<UUID> ids = new ArrayList<>();
        List<Buffer> identities = new ArrayList<>();
        List<Buffer> codes = new ArrayList<>();
        long unreadable = 0;
        for (Row row : rows) {
          try {
            Buffer identity = buffer(resealed(bytes(row, 1)));
            Buffer code = buffer(resealed(bytes(row, 2)));
            ids.add(UUID.fromString(row.getString(0)));
            identities.add(identity);
            codes.add(code);
          } catch (IllegalArgumentException e) {
            unreadable++;
          }
        }
        return new Sealed(ids, identities, codes, unreadable);
      }).compose(resealed -> connection.preparedQuery(KeyRotationSql.REPORTS_RESEAL)
          .execute(Tuple.of(resealed.ids().toArray(UUID[]::new), resealed.identities().toArray(Buffer[]::new),
              resealed.codes().toArray(Buffer[]::new)))
          .map(ignored -> new Batch(rows.size(), resealed.ids().size(), 0, resealed.unreadable(), 0, position)));
    }
  }

  /**
   * Audit rows naming a person by a hash under an old key once every person the gateway holds has
   * been moved: nobody the gateway holds is behind them, and once the old key is destroyed nobody
   * could be. The pseudonym is dropped; the row (what was done, when, on which card) stays.
   */
  private static final class Pseudonyms extends RotatedRecords {
    private final String forget;

    Pseudonyms(String kind, String due, String forget, String count, Vertx vertx, PersonKeys keys) {
      super(kind, "-1", due, count, vertx, keys);
      this.forget = forget;
    }

    @Override
    Future<Batch> move(SqlConnection connection, List<Row> rows, String position) {
      Long[] ids = rows.stream().map(row -> row.getLong(0)).toArray(Long[]::new);
      return connection.preparedQuery(forget).execute(Tuple.of(ids, (short) protector.hashKeyId()))
          .map(ignored -> new Batch(ids.length, 0, ids.length, 0, 0, position));
    }
  }
}
