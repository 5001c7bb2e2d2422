package istanbul.hes.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.TestEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * Personal records of every kind a key rotation moves, written in bulk under the environment's
 * keys (id 1): owners with a personalized card each, HES links on every other card, risks of one
 * owner in ten, risks of people without a card, contacts of anonymous cards, violation reports,
 * audit rows naming owners and people the gateway no longer holds. Then the checks a finished
 * rotation must pass, read straight from the tables with a protector that knows only the new keys.
 */
final class PersonalRecords {
  static final String HES_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static final String FIRST_NAME = "Ayşe";
  static final String LAST_NAME = "Yılmaz";

  /** A seeded owner: identity number, card, HES code (null: none), risky. */
  record Person(String tckn, long card, String hesCode, boolean risky) {
    String subject() {
      return LookupKeys.tcknIdentity(tckn);
    }
  }

  record Seeded(List<Person> people, long records) {}

  private PersonalRecords() {}

  /** A valid TCKN for {@code i} (distinct for distinct i below 800,000,000). */
  static String tckn(long i) {
    return CardSeeder.tcknWithCheckDigits(100_000_000L + i);
  }

  static String hesCode(long i) {
    StringBuilder code = new StringBuilder(10);
    long value = i * 7_919 + 1_000_003;
    for (int k = 0; k < 10; k++) {
      code.append(HES_ALPHABET.charAt((int) (value % 36)));
      value /= 36;
    }
    return code.toString();
  }

  /**
   * Seeds {@code owners} owners (plus a fifth as many risks of people without a card, as many
   * contacts, a tenth as many reports, and audit rows), card numbers from {@code firstCard}.
   */
  static Seeded seed(TestEnvironment environment, int owners, long firstCard) {
    IdentityProtector keys = environment.identityProtector();
    Pool pool = environment.pool();
    List<Person> people = new ArrayList<>(owners);
    long records = 0;
    int batch = 2_000;
    for (int from = 0; from < owners; from += batch) {
      int to = Math.min(owners, from + batch);
      List<Buffer> hashes = new ArrayList<>();
      List<Buffer> identities = new ArrayList<>();
      List<Buffer> firsts = new ArrayList<>();
      List<Buffer> lasts = new ArrayList<>();
      List<Buffer> phones = new ArrayList<>();
      List<Long> cards = new ArrayList<>();
      List<Long> linkedCards = new ArrayList<>();
      List<Buffer> codeHashes = new ArrayList<>();
      List<Buffer> codes = new ArrayList<>();
      List<String> prefixes = new ArrayList<>();
      List<Buffer> riskyHashes = new ArrayList<>();
      List<Buffer> riskyIdentities = new ArrayList<>();
      for (int i = from; i < to; i++) {
        String tckn = tckn(i);
        long card = firstCard + i;
        String code = i % 2 == 0 ? hesCode(i) : null;
        boolean risky = i % 10 == 0;
        people.add(new Person(tckn, card, code, risky));
        Buffer hash = Buffer.buffer(keys.hash(LookupKeys.IDENTITY_PURPOSE, LookupKeys.tcknIdentity(tckn)));
        hashes.add(hash);
        identities.add(Buffer.buffer(keys.encrypt(tckn)));
        firsts.add(Buffer.buffer(keys.encrypt(FIRST_NAME)));
        lasts.add(Buffer.buffer(keys.encrypt(LAST_NAME)));
        phones.add(Buffer.buffer(keys.encrypt("+90555" + (1_000_000 + i))));
        cards.add(card);
        if (code != null) {
          linkedCards.add(card);
          codeHashes.add(Buffer.buffer(keys.hash(LookupKeys.HES_CODE_PURPOSE, code)));
          codes.add(Buffer.buffer(keys.encrypt(code)));
          prefixes.add(code.substring(0, 4));
        }
        if (risky) {
          riskyHashes.add(hash);
          riskyIdentities.add(Buffer.buffer(keys.encrypt(LookupKeys.tcknIdentity(tckn))));
        }
      }
      records += hashes.size() + linkedCards.size() + riskyHashes.size();
      long[] cardArray = cards.stream().mapToLong(Long::longValue).toArray();
      Await.result(environment.offlineStore().inTransaction(transaction -> transaction.connection().preparedQuery(
              "WITH o AS (INSERT INTO owners (identity_hash, identity_kind, identity_enc, first_name_enc, last_name_enc, phone_enc) "
                  + "SELECT h, 'TCKN', i, f, l, p FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bytea[]) "
                  + "WITH ORDINALITY AS v(h, i, f, l, p, n) ORDER BY n RETURNING owner_id, identity_hash) "
                  + "INSERT INTO cards (card_no, owner_id) SELECT c.card_no, o.owner_id FROM o "
                  + "JOIN unnest($1::bytea[], $6::bigint[]) AS c(h, card_no) ON c.h = o.identity_hash")
          .execute(Tuple.of(hashes.toArray(Buffer[]::new), identities.toArray(Buffer[]::new), firsts.toArray(Buffer[]::new),
              lasts.toArray(Buffer[]::new), phones.toArray(Buffer[]::new), cards.toArray(Long[]::new)))
          .compose(ignored -> transaction.connection().preparedQuery(
                  "INSERT INTO hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, ministry_status) "
                      + "SELECT c, h, e, p, current_date + 30, 'RISKLESS' FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::text[]) "
                      + "AS v(c, h, e, p)")
              .execute(Tuple.of(linkedCards.toArray(Long[]::new), codeHashes.toArray(Buffer[]::new), codes.toArray(Buffer[]::new),
                  prefixes.toArray(String[]::new))))
          .compose(ignored -> transaction.connection().preparedQuery(
                  "INSERT INTO person_risk (identity_hash, risky, source, identity_enc) SELECT h, true, 'DELTA', e "
                      + "FROM unnest($1::bytea[], $2::bytea[]) AS v(h, e)")
              .execute(Tuple.tuple().addValue(riskyHashes.toArray(Buffer[]::new)).addValue(riskyIdentities.toArray(Buffer[]::new))))
          .compose(ignored -> transaction.connection().preparedQuery(
                  "INSERT INTO audit_log (actor_hash, action, card_no) SELECT h, 'PERSONALIZE', c "
                      + "FROM unnest($1::bytea[], $2::bigint[]) AS v(h, c)")
              .execute(Tuple.tuple().addValue(hashes.toArray(Buffer[]::new)).addValue(cards.toArray(Long[]::new))))
          .compose(ignored -> transaction.recompute(cardArray, "TEST_SEED"))));
    }
    records += seedWithoutOwners(environment, keys, pool, owners, firstCard + owners);
    return new Seeded(List.copyOf(people), records);
  }

  /** Risks of people without a card, contacts of anonymous cards, reports, and an audit trail of someone gone. */
  private static long seedWithoutOwners(TestEnvironment environment, IdentityProtector keys, Pool pool, int owners, long firstAnonymous) {
    int others = owners / 5;
    List<Buffer> riskHashes = new ArrayList<>();
    List<Buffer> riskIdentities = new ArrayList<>();
    List<Long> anonymousCards = new ArrayList<>();
    List<Buffer> holderHashes = new ArrayList<>();
    List<Buffer> holders = new ArrayList<>();
    List<Buffer> addresses = new ArrayList<>();
    List<Buffer> addressHashes = new ArrayList<>();
    List<UUID> reportIds = new ArrayList<>();
    List<Long> reportCards = new ArrayList<>();
    List<Buffer> reportIdentities = new ArrayList<>();
    List<Buffer> reportCodes = new ArrayList<>();
    for (int i = 0; i < others; i++) {
      String person = LookupKeys.tcknIdentity(tckn(owners + i));
      riskHashes.add(Buffer.buffer(keys.hash(LookupKeys.IDENTITY_PURPOSE, person)));
      riskIdentities.add(Buffer.buffer(keys.encrypt(person)));
      String holder = LookupKeys.tcknIdentity(tckn(owners + others + i));
      anonymousCards.add(firstAnonymous + i);
      holderHashes.add(Buffer.buffer(keys.hash(LookupKeys.IDENTITY_PURPOSE, holder)));
      holders.add(Buffer.buffer(keys.encrypt(holder)));
      String phone = "+90544" + (1_000_000 + i);
      addresses.add(Buffer.buffer(keys.encrypt(phone)));
      addressHashes.add(Buffer.buffer(keys.hash("campaign-phone", phone)));
      if (i % 2 == 0) {
        reportIds.add(UUID.randomUUID());
        reportCards.add(firstAnonymous + i);
        reportIdentities.add(Buffer.buffer(keys.encrypt(tckn(i))));
        reportCodes.add(Buffer.buffer(keys.encrypt(hesCode(i))));
      }
    }
    Buffer gone = Buffer.buffer(keys.hash(LookupKeys.IDENTITY_PURPOSE, "TCKN:" + tckn(799_999_999L)));
    Await.result(pool.withTransaction(connection -> connection.preparedQuery(
            "INSERT INTO person_risk (identity_hash, risky, source, identity_enc) SELECT h, true, 'DELTA', e "
                + "FROM unnest($1::bytea[], $2::bytea[]) AS v(h, e)")
        .execute(Tuple.tuple().addValue(riskHashes.toArray(Buffer[]::new)).addValue(riskIdentities.toArray(Buffer[]::new)))
        .compose(ignored -> connection.preparedQuery("INSERT INTO cards (card_no) SELECT unnest($1::bigint[])")
            .execute(Tuple.of(anonymousCards.toArray(Long[]::new))))
        .compose(ignored -> connection.preparedQuery(
                "INSERT INTO campaign_contacts (card_no, holder_hash, holder_enc, channel, address_enc, address_hash, language, "
                    + "consent_at) SELECT c, h, e, 'SMS', a, ah, 'tr', now() "
                    + "FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bytea[]) AS v(c, h, e, a, ah)")
            .execute(Tuple.of(anonymousCards.toArray(Long[]::new), holderHashes.toArray(Buffer[]::new), holders.toArray(Buffer[]::new),
                addresses.toArray(Buffer[]::new), addressHashes.toArray(Buffer[]::new))))
        .compose(ignored -> connection.preparedQuery(
                "INSERT INTO violation_outbox (id, card_no, validator, window_start, first_at, last_at, taps, identity_kind, "
                    + "identity_enc, hes_code_enc) SELECT id, c, 'V-1', now(), now(), now(), 1, 'TCKN', i, h "
                    + "FROM unnest($1::uuid[], $2::bigint[], $3::bytea[], $4::bytea[]) AS v(id, c, i, h)")
            .execute(Tuple.of(reportIds.toArray(UUID[]::new), reportCards.toArray(Long[]::new),
                reportIdentities.toArray(Buffer[]::new), reportCodes.toArray(Buffer[]::new))))
        .compose(ignored -> connection.preparedQuery(
                "INSERT INTO audit_log (actor_hash, action, card_no) SELECT $1, 'HES_LINK', c FROM unnest($2::bigint[]) AS c")
            .execute(Tuple.tuple().addValue(gone).addValue(LongStream.range(0, 10).boxed().toArray(Long[]::new))))
        .compose(ignored -> connection.preparedQuery(
                "INSERT INTO agent_actions (agent_id, point_id, action, card_no, holder_hash, status, result) "
                    + "VALUES ('agent-1', 'point-1', 'HOLDER_CHECK', 1, $1, 201, 'OK')")
            .execute(Tuple.of(gone)))));
    return others * 2L + others * 2L + reportIds.size();
  }

  /**
   * Every personal value in every table is under the new keys (id 2), reads back with a protector
   * that knows only them, and every hash is the new key's hash of what it hashes; owners' audit
   * rows followed their owner; pseudonyms of people gone are dropped. Returns the values checked.
   */
  static long assertEveryRecordUnderNewKeys(TestEnvironment environment, IdentityProtector newKeysOnly) {
    Pool pool = environment.pool();
    Row old = Await.result(pool.query(
        "SELECT (SELECT count(*) FROM owners WHERE identity_hash_key <> 2 OR get_byte(identity_enc, 0) <> 2 "
            + "  OR get_byte(first_name_enc, 0) <> 2 OR get_byte(last_name_enc, 0) <> 2 OR get_byte(phone_enc, 0) <> 2), "
            + "(SELECT count(*) FROM person_risk WHERE identity_hash_key <> 2 OR get_byte(identity_enc, 0) <> 2), "
            + "(SELECT count(*) FROM hes_links WHERE hes_code_hash_key <> 2 OR get_byte(hes_code_enc, 0) <> 2), "
            + "(SELECT count(*) FROM campaign_contacts WHERE holder_hash_key <> 2 OR get_byte(holder_enc, 0) <> 2 "
            + "  OR get_byte(address_enc, 0) <> 2 OR address_hash_key <> 2), "
            + "(SELECT count(*) FROM violation_outbox WHERE get_byte(identity_enc, 0) <> 2 OR get_byte(hes_code_enc, 0) <> 2), "
            + "(SELECT count(*) FROM audit_log WHERE actor_hash IS NOT NULL AND actor_hash_key <> 2), "
            + "(SELECT count(*) FROM agent_actions WHERE holder_hash IS NOT NULL AND holder_hash_key <> 2)").execute())
        .iterator().next();
    for (int column = 0; column < 7; column++) {
      assertThat(old.getLong(column)).as("values under an old key, table %d", column).isZero();
    }
    long checked = 0;
    for (Row row : Await.result(pool.query("SELECT identity_hash, identity_enc, first_name_enc, last_name_enc, phone_enc, "
        + "(SELECT count(*) FROM audit_log a WHERE a.actor_hash = o.identity_hash) FROM owners o").execute())) {
      String person = LookupKeys.tcknIdentity(newKeysOnly.decrypt(row.getBuffer(1).getBytes()));
      assertThat(row.getBuffer(0).getBytes()).isEqualTo(newKeysOnly.hash(LookupKeys.IDENTITY_PURPOSE, person));
      assertThat(newKeysOnly.decrypt(row.getBuffer(2).getBytes())).isEqualTo(FIRST_NAME);
      assertThat(newKeysOnly.decrypt(row.getBuffer(3).getBytes())).isEqualTo(LAST_NAME);
      assertThat(newKeysOnly.decrypt(row.getBuffer(4).getBytes())).startsWith("+90");
      assertThat(row.getLong(5)).as("the owner's audit trail follows the owner").isPositive();
      checked += 5;
    }
    for (Row row : Await.result(pool.query("SELECT identity_hash, identity_enc FROM person_risk").execute())) {
      String person = newKeysOnly.decrypt(row.getBuffer(1).getBytes());
      assertThat(row.getBuffer(0).getBytes()).isEqualTo(newKeysOnly.hash(LookupKeys.IDENTITY_PURPOSE, person));
      checked += 2;
    }
    for (Row row : Await.result(pool.query("SELECT hes_code_hash, hes_code_enc FROM hes_links").execute())) {
      String code = newKeysOnly.decrypt(row.getBuffer(1).getBytes());
      assertThat(row.getBuffer(0).getBytes()).isEqualTo(newKeysOnly.hash(LookupKeys.HES_CODE_PURPOSE, code));
      checked += 2;
    }
    for (Row row : Await.result(pool.query("SELECT holder_hash, holder_enc, address_hash, address_enc FROM campaign_contacts")
        .execute())) {
      assertThat(row.getBuffer(0).getBytes())
          .isEqualTo(newKeysOnly.hash(LookupKeys.IDENTITY_PURPOSE, newKeysOnly.decrypt(row.getBuffer(1).getBytes())));
      assertThat(row.getBuffer(2).getBytes())
          .isEqualTo(newKeysOnly.hash("campaign-phone", newKeysOnly.decrypt(row.getBuffer(3).getBytes())));
      checked += 4;
    }
    for (Row row : Await.result(pool.query("SELECT identity_enc, hes_code_enc FROM violation_outbox").execute())) {
      assertThat(newKeysOnly.decrypt(row.getBuffer(0).getBytes())).hasSize(11);
      assertThat(newKeysOnly.decrypt(row.getBuffer(1).getBytes())).hasSize(10);
      checked += 2;
    }
    Row forgotten = Await.result(pool.query("SELECT (SELECT count(*) FROM audit_log WHERE action = 'HES_LINK' AND actor_hash IS NULL "
        + "AND detail ? 'actorForgotten'), (SELECT count(*) FROM agent_actions WHERE holder_hash IS NULL)").execute()).iterator().next();
    assertThat(forgotten.getLong(0)).as("audit rows of someone the gateway no longer holds, pseudonym dropped").isEqualTo(10);
    assertThat(forgotten.getLong(1)).isEqualTo(1);
    return checked;
  }

  /** GET /admin/v1/keys of a node, as JSON. */
  static JsonObject keysStatus(istanbul.hes.testing.TestNode node) {
    return node.operator(io.vertx.core.http.HttpMethod.GET, "/admin/v1/keys", null).bodyAsJsonObject();
  }

  static boolean retired(JsonObject status) {
    JsonObject retirable = status.getJsonObject("retirable");
    return retirable.getJsonArray("encryptionKeyIds").contains(1) && retirable.getJsonArray("hashKeyIds").contains(1);
  }

  static byte[] key(int seed) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) seed);
    key[0] = (byte) (seed * 31);
    return key;
  }
}
