package istanbul.hes.keys;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.identity.LookupKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyed hashes of people and HES codes while keys may be rotating: lookups try the hash under
 * every known key; a writer first moves the person (or the code) it writes for to the current
 * key, in its own transaction after its locks, so that every row it then writes or joins is
 * under one key. Outside a rotation (one hash key) the moves are skipped: no extra statement.
 */
public final class PersonKeys {
  private final IdentityProtector protector;

  public PersonKeys(IdentityProtector protector) {
    this.protector = protector;
  }

  public IdentityProtector protector() {
    return protector;
  }

  /** A person's identity hash under the current key. */
  public byte[] identityHash(String identityKeyName) {
    return protector.hash(LookupKeys.IDENTITY_PURPOSE, identityKeyName);
  }

  /** A person's identity hash under every known key, the current first: the {@code = ANY($n)} of a lookup. */
  public Buffer[] identityHashes(String identityKeyName) {
    return lookupHashes(LookupKeys.IDENTITY_PURPOSE, identityKeyName);
  }

  /** Any value's hash for {@code purpose} under every known key, the current first: the {@code = ANY($n)} of a lookup. */
  public Buffer[] lookupHashes(String purpose, String normalizedValue) {
    return buffers(protector.hashes(purpose, normalizedValue));
  }

  public byte[] codeHash(String normalizedCode) {
    return protector.hash(LookupKeys.HES_CODE_PURPOSE, normalizedCode);
  }

  public Buffer[] codeHashes(String normalizedCode) {
    return lookupHashes(LookupKeys.HES_CODE_PURPOSE, normalizedCode);
  }

  /** Whether a stored identity hash is this person's under some known key. */
  public boolean isPerson(byte[] storedHash, String identityKeyName) {
    return storedHash != null && protector.matches(storedHash, LookupKeys.IDENTITY_PURPOSE, identityKeyName);
  }

  /** Whether a stored code hash is this code's under some known key. */
  public boolean isCode(byte[] storedHash, String normalizedCode) {
    return storedHash != null && protector.matches(storedHash, LookupKeys.HES_CODE_PURPOSE, normalizedCode);
  }

  public int hashKeyId() {
    return protector.hashKeyId();
  }

  /** Moves one person to the current hash key in every table (see {@link KeyRotationSql#REKEY_PEOPLE}). */
  public Future<Void> movePerson(SqlClient connection, String identityKeyName) {
    return movePeople(connection, List.of(identityKeyName));
  }

  /** The same for many people at once (a page of risk deltas): one statement. */
  public Future<Void> movePeople(SqlClient connection, List<String> identityKeyNames) {
    if (!protector.rotatingHashes() || identityKeyNames.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Buffer> old = new ArrayList<>();
    List<Buffer> current = new ArrayList<>();
    for (String person : identityKeyNames) {
      List<byte[]> hashes = protector.hashes(LookupKeys.IDENTITY_PURPOSE, person);
      for (int i = 1; i < hashes.size(); i++) {
        old.add(Buffer.buffer(hashes.get(i)));
        current.add(Buffer.buffer(hashes.get(0)));
      }
    }
    return movePeopleByHash(connection, old.toArray(Buffer[]::new), current.toArray(Buffer[]::new));
  }

  /**
   * Many people's hashes, computed once (on a worker, for a page of deltas): the current ones in
   * the people's order, every known one (for lookups), and the pairs a move needs.
   */
  public record PeopleHashes(Buffer[] current, Buffer[] lookup, Buffer[] movedFrom, Buffer[] movedTo) {}

  public PeopleHashes peopleHashes(List<String> identityKeyNames) {
    List<Buffer> current = new ArrayList<>(identityKeyNames.size());
    List<Buffer> lookup = new ArrayList<>(identityKeyNames.size());
    List<Buffer> from = new ArrayList<>();
    List<Buffer> to = new ArrayList<>();
    for (String person : identityKeyNames) {
      List<byte[]> hashes = protector.hashes(LookupKeys.IDENTITY_PURPOSE, person);
      Buffer now = Buffer.buffer(hashes.get(0));
      current.add(now);
      lookup.add(now);
      for (int i = 1; i < hashes.size(); i++) {
        Buffer old = Buffer.buffer(hashes.get(i));
        lookup.add(old);
        from.add(old);
        to.add(now);
      }
    }
    return new PeopleHashes(current.toArray(Buffer[]::new), lookup.toArray(Buffer[]::new), from.toArray(Buffer[]::new),
        to.toArray(Buffer[]::new));
  }

  /** Moves the people of {@link #peopleHashes} to the current key (nothing to do outside a rotation). */
  public Future<Void> movePeople(SqlClient connection, PeopleHashes people) {
    return people.movedFrom().length == 0 ? Future.succeededFuture()
        : movePeopleByHash(connection, people.movedFrom(), people.movedTo());
  }

  /** Old hashes and the same people's current hashes, pairwise. */
  Future<Void> movePeopleByHash(SqlClient connection, Buffer[] old, Buffer[] current) {
    return connection.preparedQuery(KeyRotationSql.REKEY_PEOPLE)
        .execute(Tuple.of(old, current, (short) protector.hashKeyId()))
        .mapEmpty();
  }

  /** Moves a HES code's link (whichever card it is on) to the current hash key. */
  public Future<Void> moveCode(SqlClient connection, String normalizedCode) {
    if (!protector.rotatingHashes()) {
      return Future.succeededFuture();
    }
    List<byte[]> hashes = protector.hashes(LookupKeys.HES_CODE_PURPOSE, normalizedCode);
    return connection.preparedQuery(KeyRotationSql.REKEY_CODE)
        .execute(Tuple.of(buffers(hashes.subList(1, hashes.size())), Buffer.buffer(hashes.get(0)), (short) protector.hashKeyId()))
        .mapEmpty();
  }

  private static Buffer[] buffers(List<byte[]> hashes) {
    return hashes.stream().map(Buffer::buffer).toArray(Buffer[]::new);
  }
}
