package istanbul.hes.testing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardStatusUpdate;
import istanbul.hes.citizen.domain.PassportIdentity;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PersonName;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.identity.LookupKeys;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates cards with synthetic owners, HES links, risks and blocks straight in PostgreSQL, then
 * recomputes them through the status store, as the features will. Identity numbers are random
 * synthetic TCKNs (valid checksum), registered with {@link Pii} so the log can be searched.
 */
public final class CardSeeder {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Card numbers are unique in the whole test JVM, so a leftover never collides. */
  private static final AtomicLong NEXT_CARD = new AtomicLong(4_000_000_000_000_000L + RANDOM.nextInt(1_000_000) * 1_000_000L);

  private final StatusCommits commits;
  private final IdentityProtector protector;
  private final ZoneId zone;

  CardSeeder(StatusCommits commits, IdentityProtector protector, ZoneId zone) {
    this.commits = commits;
    this.protector = protector;
    this.zone = zone;
  }

  /** A card number no seeder has used and no test will insert. */
  public static long unusedCardNumber() {
    return NEXT_CARD.getAndIncrement();
  }

  public long create(CardClass kind) {
    return create(List.of(kind)).get(0);
  }

  public long create(CardClass kind, long cardNumber) {
    commits.commit(transaction -> insert(transaction.connection(), kind, cardNumber)
        .compose(ignored -> transaction.recompute(new long[] {cardNumber}, "TEST_SEED")));
    return cardNumber;
  }

  /** Creates the cards in one transaction; returns their numbers in the same order. */
  public List<Long> create(List<CardClass> kinds) {
    List<Long> cards = new ArrayList<>(kinds.size());
    for (int i = 0; i < kinds.size(); i++) {
      cards.add(unusedCardNumber());
    }
    commits.commit(transaction -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < kinds.size(); i++) {
        CardClass kind = kinds.get(i);
        long card = cards.get(i);
        chain = chain.compose(ignored -> insert(transaction.connection(), kind, card));
      }
      long[] numbers = cards.stream().mapToLong(Long::longValue).toArray();
      return chain.compose(ignored -> transaction.recompute(numbers, "TEST_SEED"));
    });
    return cards;
  }

  /** One card of every class, in {@link CardClass} order. */
  public List<Long> oneOfEach() {
    return create(List.of(CardClass.values()));
  }

  /** A Turkish citizen (synthetic TCKN) owning {@code cards} cards, with no HES code. */
  public SeededPerson person(String firstName, String lastName, int cards) {
    return person(Tckn.parse(Pii.register(syntheticTckn())), firstName, lastName, cards);
  }

  /** A foreigner (passport of {@code nationality}) with {@code cards} cards and no HES code. */
  public SeededPerson foreigner(String nationality, String firstName, String lastName, int cards) {
    return foreigner(nationality, firstName, lastName, cards, Pii.register("P" + (10_000_000 + RANDOM.nextInt(89_999_999))));
  }

  /** A foreigner with this passport number (registered with {@link Pii} by the caller). */
  public SeededPerson foreigner(String nationality, String firstName, String lastName, int cards, String passport) {
    return person(PassportIdentity.parse(passport, "passportNumber", nationality, "nationality"), firstName, lastName, cards);
  }

  private SeededPerson person(PersonIdentity identity, String firstName, String lastName, int cards) {
    List<Long> numbers = new ArrayList<>(cards);
    for (int i = 0; i < cards; i++) {
      numbers.add(unusedCardNumber());
    }
    Buffer identityHash = Buffer.buffer(protector.hash(LookupKeys.IDENTITY_PURPOSE, identity.keyName()));
    String phone = Pii.register("+90555" + (1_000_000 + RANDOM.nextInt(8_999_999)));
    Tuple owner = Tuple.tuple()
        .addValue(identityHash)
        .addValue(identity instanceof PassportIdentity ? "PASSPORT" : "TCKN")
        .addValue(Buffer.buffer(protector.encrypt(identity.documentNumber())))
        .addValue(identity instanceof PassportIdentity passport ? passport.nationality().code() : null)
        .addValue(Buffer.buffer(protector.encrypt(PersonName.firstName(firstName).value())))
        .addValue(Buffer.buffer(protector.encrypt(PersonName.lastName(lastName).value())))
        .addValue(Buffer.buffer(protector.encrypt(phone)))
        .addValue((short) (1950 + RANDOM.nextInt(60)));
    long[] cardArray = numbers.stream().mapToLong(Long::longValue).toArray();
    commits.commit(transaction -> transaction.connection().preparedQuery(
            "INSERT INTO owners (identity_hash, identity_kind, identity_enc, nationality, first_name_enc, last_name_enc, "
                + "phone_enc, birth_year) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING owner_id")
        .execute(owner)
        .compose(rows -> transaction.connection().preparedQuery(
                "INSERT INTO cards (card_no, owner_id, kind) SELECT unnest($1::bigint[]), $2, 'PERSONALIZED'")
            .execute(Tuple.of(numbers.toArray(new Long[0]), rows.iterator().next().getLong(0))))
        .compose(ignored -> transaction.recompute(cardArray, "TEST_SEED")));
    return new SeededPerson(identity, firstName, lastName, phone, List.copyOf(numbers));
  }

  /** Marks a person risky (or not), as a ministry delta would, and recomputes their cards. */
  public List<CardStatusUpdate> setRisky(SeededPerson person, boolean risky) {
    Buffer identityHash = Buffer.buffer(protector.hash(LookupKeys.IDENTITY_PURPOSE, person.subject()));
    long[] cards = person.cards().stream().mapToLong(Long::longValue).toArray();
    return commits.commit(transaction -> transaction.connection().preparedQuery(
            "INSERT INTO person_risk (identity_hash, risky, source) VALUES ($1, $2, 'TEST') "
                + "ON CONFLICT (identity_hash) DO UPDATE SET risky = EXCLUDED.risky, changed_at = now()")
        .execute(Tuple.of(identityHash, risky))
        .compose(ignored -> transaction.recompute(cards, "TEST_RISK")));
  }

  /** Marks the owner of a card risky (or not) and recomputes it, as a ministry delta would. */
  public List<CardStatusUpdate> setRisky(long card, boolean risky) {
    return commits.commit(transaction -> transaction.connection()
        .preparedQuery("INSERT INTO person_risk (identity_hash, risky, source) "
            + "SELECT o.identity_hash, $2, 'TEST' FROM cards c JOIN owners o ON o.owner_id = c.owner_id WHERE c.card_no = $1 "
            + "ON CONFLICT (identity_hash) DO UPDATE SET risky = EXCLUDED.risky, changed_at = now()")
        .execute(Tuple.of(card, risky))
        .compose(ignored -> transaction.recompute(new long[] {card}, "TEST_RISK")));
  }

  /** Blocks or unblocks a card and recomputes it, as an operator would. */
  public List<CardStatusUpdate> setBlocked(long card, boolean blocked) {
    String sql = blocked
        ? "INSERT INTO card_blocks (card_no, reason, blocked_by) VALUES ($1, 'STOLEN', 'test') ON CONFLICT DO NOTHING"
        : "DELETE FROM card_blocks WHERE card_no = $1";
    return commits.commit(transaction -> transaction.connection().preparedQuery(sql).execute(Tuple.of(card))
        .compose(ignored -> transaction.recompute(new long[] {card}, "TEST_BLOCK")));
  }

  /**
   * A card written as the population loader writes its 34 M: records and the card's decision
   * inputs straight into the tables, no recompute, no change-log row.
   */
  public long bulkLoaded(CardClass kind) {
    long card = unusedCardNumber();
    commits.commit(transaction -> insert(transaction.connection(), kind, card)
        .compose(ignored -> transaction.connection().preparedQuery(BULK_INPUTS).execute(Tuple.of(card))));
    return card;
  }

  /** The inputs a bulk load writes beside the records (the derivation of the status store, without its log). */
  private static final String BULK_INPUTS = "UPDATE cards c SET blocked = EXISTS (SELECT 1 FROM card_blocks b WHERE b.card_no = c.card_no), "
      + "hes_linked = h.card_no IS NOT NULL, hes_expires_on = h.expires_on, "
      + "risky = coalesce((SELECT r.risky FROM owners o JOIN person_risk r ON r.identity_hash = o.identity_hash "
      + "WHERE o.owner_id = c.owner_id), false) "
      + "FROM (SELECT $1::bigint AS card_no) k LEFT JOIN hes_links h ON h.card_no = k.card_no WHERE c.card_no = k.card_no";

  /** Links a new (synthetic) HES code expiring on {@code expiresOn} to a card, replacing any, and recomputes it. */
  public List<CardStatusUpdate> linkHes(long card, LocalDate expiresOn) {
    String hesCode = syntheticHesCode();
    return commits.commit(transaction -> transaction.connection()
        .preparedQuery("DELETE FROM hes_links WHERE card_no = $1").execute(Tuple.of(card))
        .compose(ignored -> transaction.connection().preparedQuery(
                "INSERT INTO hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, ministry_status) "
                    + "VALUES ($1, $2, $3, $4, $5, 'RISKLESS')")
            .execute(Tuple.of(card, Buffer.buffer(protector.hash(LookupKeys.HES_CODE_PURPOSE, hesCode)),
                Buffer.buffer(protector.encrypt(hesCode)), hesCode.substring(0, 4), expiresOn)))
        .compose(ignored -> transaction.recompute(new long[] {card}, "TEST_HES_LINK")));
  }

  /** Removes a card's HES link, if any, and recomputes it. */
  public List<CardStatusUpdate> unlinkHes(long card) {
    return commits.commit(transaction -> transaction.connection()
        .preparedQuery("DELETE FROM hes_links WHERE card_no = $1").execute(Tuple.of(card))
        .compose(ignored -> transaction.recompute(new long[] {card}, "TEST_HES_UNLINK")));
  }

  private Future<Void> insert(SqlConnection connection, CardClass kind, long card) {
    if (kind == CardClass.ANONYMOUS) {
      return connection.preparedQuery("INSERT INTO cards (card_no) VALUES ($1)").execute(Tuple.of(card)).mapEmpty();
    }
    String identity = Pii.register(syntheticTckn());
    Buffer identityHash = Buffer.buffer(protector.hash("identity", "TCKN:" + identity));
    Tuple owner = Tuple.of(identityHash, Buffer.buffer(protector.encrypt(identity)),
            Buffer.buffer(protector.encrypt("Deneme")), Buffer.buffer(protector.encrypt("Kullanici")))
        .addValue(Buffer.buffer(protector.encrypt(Pii.register("+90555" + (1_000_000 + RANDOM.nextInt(8_999_999))))))
        .addValue((short) (1950 + RANDOM.nextInt(60)));
    LocalDate today = LocalDate.now(zone);
    Future<Void> inserted = connection.preparedQuery(
            "INSERT INTO owners (identity_hash, identity_kind, identity_enc, first_name_enc, last_name_enc, phone_enc, birth_year) "
                + "VALUES ($1, 'TCKN', $2, $3, $4, $5, $6) RETURNING owner_id")
        .execute(owner)
        .compose(rows -> connection.preparedQuery("INSERT INTO cards (card_no, owner_id, kind) VALUES ($1, $2, 'PERSONALIZED')")
            .execute(Tuple.of(card, rows.iterator().next().getLong(0))))
        .mapEmpty();
    if (kind != CardClass.NO_HES) {
      LocalDate expiresOn = kind == CardClass.EXPIRED ? today : today.plusDays(30);
      String hesCode = syntheticHesCode();
      inserted = inserted.compose(ignored -> connection.preparedQuery(
              "INSERT INTO hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, ministry_status) "
                  + "VALUES ($1, $2, $3, $4, $5, 'RISKLESS')")
          .execute(Tuple.of(card, Buffer.buffer(protector.hash(LookupKeys.HES_CODE_PURPOSE, hesCode)), Buffer.buffer(protector.encrypt(hesCode)),
              hesCode.substring(0, 4), expiresOn))
          .mapEmpty());
    }
    if (kind == CardClass.RISKY) {
      inserted = inserted.compose(ignored -> connection.preparedQuery(
              "INSERT INTO person_risk (identity_hash, risky, source) VALUES ($1, true, 'TEST')")
          .execute(Tuple.of(identityHash)).mapEmpty());
    }
    if (kind == CardClass.BLOCKED) {
      inserted = inserted.compose(ignored -> connection.preparedQuery(
              "INSERT INTO card_blocks (card_no, reason, blocked_by) VALUES ($1, 'STOLEN', 'test')")
          .execute(Tuple.of(card)).mapEmpty());
    }
    return inserted;
  }

  /** 11 digits, first not zero, with the official TCKN check digits; never a real person's by intent. */
  public static String syntheticTckn() {
    return tcknWithCheckDigits(100_000_000 + RANDOM.nextInt(900_000_000));
  }

  /** The TCKN whose first nine digits are {@code base} (100,000,000 to 999,999,999), with its two check digits. */
  public static String tcknWithCheckDigits(long base) {
    int[] d = new int[11];
    String digits = Long.toString(base);
    for (int i = 0; i < 9; i++) {
      d[i] = digits.charAt(i) - '0';
    }
    int odd = d[0] + d[2] + d[4] + d[6] + d[8];
    int even = d[1] + d[3] + d[5] + d[7];
    d[9] = Math.floorMod(odd * 7 - even, 10);
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      sum += d[i];
    }
    d[10] = sum % 10;
    StringBuilder text = new StringBuilder(11);
    for (int digit : d) {
      text.append(digit);
    }
    return text.toString();
  }

  private static String syntheticHesCode() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder code = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      code.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return Pii.register(code.toString());
  }
}
