package istanbul.hes.citizen.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.citizen.api.CitizenProblemMapping;
import istanbul.hes.citizen.domain.BirthYear;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.citizen.domain.PassportIdentity;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PersonName;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.http.Problem;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.ministry.health.HealthStatus;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The citizen store against a started node: real PostgreSQL, the real status store and map, the
 * tap listener as the judge of what a card's status became.
 */
class CitizenRepositoryTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Consents CONSENTS = new Consents("kvkk-2020.1", "hes-2020.1");

  @RegisterExtension
  static final SharedNode shared = new SharedNode();

  private static TestEnvironment environment;
  private static TestNode node;
  private static CitizenRepository citizens;
  private static IdentityProtector protector;
  private static Pool pool;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
    pool = environment.pool();
    protector = environment.identityProtector();
    // The repository runs as on another node of the cluster: the node under test serves its commits through the fan-out.
    citizens = new CitizenRepository(pool, environment.peer().store(), protector);
  }

  /** The node's answer for a card, once it serves what the repository committed last. */
  private static String reason(long card) {
    node.awaitPeerServed();
    return node.reason(card);
  }

  // Test data: synthetic people and codes, registered so that no log line may contain them.

  /** A synthetic person with a TCKN, names and a phone; every value registered with {@link Pii}. */
  private record Person(PersonIdentity identity, String firstName, String lastName, String phone) {
    Personalization personalization() {
      return new Personalization(identity, PersonName.firstName(firstName), PersonName.lastName(lastName),
          BirthYear.of(1980, Year.now(ZoneId.of("Europe/Istanbul"))), PhoneNumber.parse(phone), true, CONSENTS);
    }

    byte[] identityHash() {
      return protector.hash(LookupKeys.IDENTITY_PURPOSE, identity.keyName());
    }
  }

  private static Person person() {
    String tckn = Pii.register(CardSeeder.syntheticTckn());
    String phone = Pii.register("+90532" + (1_000_000 + RANDOM.nextInt(8_999_999)));
    return new Person(Tckn.parse(tckn), Pii.register("Zümrüt" + letters(6)), Pii.register("Yılmazoğlu" + letters(6)), phone);
  }

  private static Person foreigner() {
    String number = Pii.register("P" + (10_000_000 + RANDOM.nextInt(89_999_999)));
    String phone = Pii.register("+49151" + (10_000_000 + RANDOM.nextInt(89_999_999)));
    return new Person(PassportIdentity.parse(number, "DEU"), Pii.register("Johanna" + letters(6)),
        Pii.register("Schneider" + letters(6)), phone);
  }

  private static String letters(int count) {
    StringBuilder text = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      text.append((char) ('a' + RANDOM.nextInt(26)));
    }
    return text.toString();
  }

  private static HesCode hesCode() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder code = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      code.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return HesCode.parse(Pii.register(code.toString()));
  }

  private static MinistryVerdict riskless() {
    return MinistryVerdict.riskless(LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(60));
  }

  private static long anonymousCard() {
    return node.seeder().create(CardClass.ANONYMOUS);
  }

  private static long personalizedCard(Person person) {
    long card = anonymousCard();
    Await.result(citizens.personalize(card, person.personalization()));
    return card;
  }

  private static long linkedCard(Person person, HesCode code) {
    long card = personalizedCard(person);
    assertThat(Await.result(citizens.link(person.identity(), card, code, riskless())).created()).isTrue();
    return card;
  }

  /** The store refuses with a domain outcome; the answer a citizen gets is the HTTP layer's mapping of it. */
  private static Problem problem(Future<?> future) {
    Throwable failure = Await.failure(future);
    assertThat(failure).isInstanceOf(CitizenRefused.class);
    return CitizenProblemMapping.problemOf((CitizenRefused) failure);
  }

  private static Row one(String sql, Object... arguments) {
    return Await.result(pool.preparedQuery(sql).execute(Tuple.from(arguments))).iterator().next();
  }

  // Personalization

  @Test
  void aPersonalizedCardWithoutHesCodeIsDeniedNoHesCode() {
    long card = anonymousCard();
    assertThat(reason(card)).isEqualTo("NOT_PERSONALIZED");
    Person person = person();

    Personalized personalized = Await.result(citizens.personalize(card, person.personalization()));

    assertThat(personalized).isEqualTo(new Personalized(card, false));
    assertThat(reason(card)).isEqualTo("NO_HES_CODE");
    Row owner = one("SELECT o.identity_kind, o.identity_enc, o.first_name_enc, o.last_name_enc, o.phone_enc, o.birth_year, "
        + "o.phone_verified_at IS NOT NULL, c.kind::text, (SELECT cause FROM card_status_log l WHERE l.card_no = c.card_no "
        + "ORDER BY version DESC LIMIT 1) FROM owners o JOIN cards c ON c.owner_id = o.owner_id "
        + "WHERE c.card_no = $1 AND o.identity_hash = $2", card, Buffer.buffer(person.identityHash()));
    assertThat(owner.getString(0)).isEqualTo("TCKN");
    assertThat(protector.decrypt(owner.getBuffer(1).getBytes())).isEqualTo(person.identity().documentNumber());
    assertThat(protector.decrypt(owner.getBuffer(2).getBytes())).isEqualTo(person.firstName());
    assertThat(protector.decrypt(owner.getBuffer(3).getBytes())).isEqualTo(person.lastName());
    assertThat(protector.decrypt(owner.getBuffer(4).getBytes())).isEqualTo(person.phone());
    assertThat(owner.getShort(5)).isEqualTo((short) 1980);
    assertThat(owner.getBoolean(6)).isTrue();
    assertThat(owner.getString(7)).isEqualTo("PERSONALIZED");
    assertThat(owner.getString(8)).isEqualTo("PERSONALIZE");
    assertThat(one("SELECT count(*) FROM consents c JOIN owners o ON o.owner_id = c.owner_id WHERE o.identity_hash = $1",
        Buffer.buffer(person.identityHash())).getLong(0)).isEqualTo(2);
  }

  @Test
  void aForeignerPersonalizesWithPassportAndNationality() {
    Person person = foreigner();
    long card = personalizedCard(person);

    Row owner = one("SELECT identity_kind, nationality, identity_enc FROM owners WHERE identity_hash = $1",
        Buffer.buffer(person.identityHash()));
    assertThat(owner.getString(0)).isEqualTo("PASSPORT");
    assertThat(owner.getString(1)).isEqualTo("DEU");
    assertThat(protector.decrypt(owner.getBuffer(2).getBytes())).isEqualTo(person.identity().documentNumber());
    assertThat(reason(card)).isEqualTo("NO_HES_CODE");
  }

  @Test
  void aCardRegisteredToSomeoneElseCannotBePersonalizedAgain() {
    Person owner = person();
    long card = personalizedCard(owner);

    assertThat(problem(citizens.personalize(card, person().personalization())))
        .extracting(Problem::status, Problem::code).containsExactly(409, "CARD_NOT_AVAILABLE");
    assertThat(one("SELECT o.identity_hash FROM cards c JOIN owners o ON o.owner_id = c.owner_id WHERE c.card_no = $1", card)
        .getBuffer(0).getBytes()).isEqualTo(owner.identityHash());
  }

  @Test
  void personalizingOnesOwnCardAgainSucceedsAndASecondCardReusesTheOwnerRow() {
    Person person = person();
    long card = personalizedCard(person);
    long versionBefore = one("SELECT status_version FROM cards WHERE card_no = $1", card).getLong(0);

    assertThat(Await.result(citizens.personalize(card, person.personalization()))).isEqualTo(new Personalized(card, true));
    long second = personalizedCard(person);

    assertThat(one("SELECT status_version FROM cards WHERE card_no = $1", card).getLong(0)).isEqualTo(versionBefore);
    Row owners = one("SELECT count(DISTINCT o.owner_id), count(c.card_no) FROM owners o JOIN cards c ON c.owner_id = o.owner_id "
        + "WHERE o.identity_hash = $1", Buffer.buffer(person.identityHash()));
    assertThat(owners.getLong(0)).isEqualTo(1);
    assertThat(owners.getLong(1)).isEqualTo(2);
    assertThat(reason(second)).isEqualTo("NO_HES_CODE");
  }

  @Test
  void aCardTheMunicipalityNeverIssuedGetsTheAnswerOfACardRegisteredToSomeoneElse() {
    long someoneElses = personalizedCard(person());
    Problem unknown = problem(citizens.personalize(CardSeeder.unusedCardNumber(), person().personalization()));
    Problem taken = problem(citizens.personalize(someoneElses, person().personalization()));

    // Status, code, title and detail: nothing tells the two apart.
    assertThat(unknown).isEqualTo(taken);
    assertThat(unknown.status()).isEqualTo(409);
    assertThat(unknown.detail()).contains("number printed on the card").contains("153");
  }

  // HES codes

  @Test
  void linkingAValidCodeLetsTheCardRideAndTheViewIsMasked() {
    Person person = person();
    HesCode code = hesCode();
    long card = personalizedCard(person);
    LocalDate expiresOn = LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(60);

    Linked linked = Await.result(citizens.link(person.identity(), card, code, MinistryVerdict.riskless(expiresOn)));

    assertThat(linked.created()).isTrue();
    assertThat(reason(card)).isEqualTo("OK");
    HesLink view = Await.result(citizens.view(person.identity(), card));
    assertThat(view.card()).isEqualTo(card);
    assertThat(view.maskedHesCode()).isEqualTo(code.masked()).doesNotContain(code.value().substring(4));
    assertThat(view.ministryStatus()).isEqualTo(HealthStatus.RISKLESS);
    assertThat(view.expiresOn()).contains(expiresOn);
    assertThat(view.linkedAt()).isNotNull();
    assertThat(view.toString()).doesNotContain(code.value());
    Row stored = one("SELECT hes_code_hash, hes_code_enc FROM hes_links WHERE card_no = $1", card);
    assertThat(stored.getBuffer(0).getBytes()).isEqualTo(protector.hash(LookupKeys.HES_CODE_PURPOSE, code.value()));
    assertThat(protector.decrypt(stored.getBuffer(1).getBytes())).isEqualTo(code.value());
  }

  @Test
  void aCodeWithoutExpiryIsStoredFarAheadAndShownAsNone() {
    Person person = person();
    long card = personalizedCard(person);

    Await.result(citizens.link(person.identity(), card, hesCode(), new MinistryVerdict(HealthStatus.RISKLESS, Optional.empty())));

    assertThat(Await.result(citizens.view(person.identity(), card)).expiresOn()).isEmpty();
    assertThat(reason(card)).isEqualTo("OK");
  }

  @Test
  void aPersonRiskyBeforeLinkingIsSuspendedTheMomentACardIsLinked() {
    Person person = person();
    Await.result(pool.preparedQuery("INSERT INTO person_risk (identity_hash, risky, source) VALUES ($1, true, 'TEST')")
        .execute(Tuple.of(Buffer.buffer(person.identityHash()))));
    long card = personalizedCard(person);
    assertThat(reason(card)).isEqualTo("HES_RISK"); // risk comes before the HES code in the decision rule

    Await.result(citizens.link(person.identity(), card, hesCode(), riskless()));

    assertThat(reason(card)).isEqualTo("HES_RISK");
  }

  @Test
  void aRiskyVerdictAtLinkSuspendsEveryCardOfTheHolder() {
    Person person = person();
    long first = linkedCard(person, hesCode());
    long second = personalizedCard(person);
    assertThat(reason(first)).isEqualTo("OK");

    Await.result(citizens.link(person.identity(), second, hesCode(),
        MinistryVerdict.risky(LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(10))));

    assertThat(reason(first)).isEqualTo("HES_RISK");
    assertThat(reason(second)).isEqualTo("HES_RISK");
  }

  @Test
  void aCardNotRegisteredToTheCallerGetsTheSameAnswerAsAnUnknownCard() {
    Person owner = person();
    Person stranger = person();
    HesCode code = hesCode();
    long card = linkedCard(owner, code);
    long anonymous = anonymousCard();
    long unknown = CardSeeder.unusedCardNumber();

    List<Problem> answers = new ArrayList<>();
    for (long target : new long[] {card, anonymous, unknown}) {
      answers.add(problem(citizens.link(stranger.identity(), target, hesCode(), riskless())));
      answers.add(problem(citizens.update(stranger.identity(), target, hesCode(), riskless())));
      answers.add(problem(citizens.remove(stranger.identity(), target)));
      answers.add(problem(citizens.view(stranger.identity(), target)));
    }

    assertThat(answers).allSatisfy(answer -> assertThat(answer).isEqualTo(answers.get(0)));
    assertThat(answers.get(0)).extracting(Problem::status, Problem::code).containsExactly(403, "CARD_NOT_OWNED");
    assertThat(reason(card)).isEqualTo("OK");
    assertThat(Await.result(citizens.view(owner.identity(), card)).maskedHesCode()).isEqualTo(code.masked());
  }

  @Test
  void aSecondCodeOnTheSameCardIsRefusedAndTheSameCodeAgainIsIdempotent() {
    Person person = person();
    HesCode code = hesCode();
    long card = linkedCard(person, code);
    long logRows = one("SELECT count(*) FROM card_status_log WHERE card_no = $1", card).getLong(0);

    assertThat(problem(citizens.link(person.identity(), card, hesCode(), riskless())))
        .extracting(Problem::status, Problem::code).containsExactly(409, "HES_ALREADY_PRESENT");
    Linked again = Await.result(citizens.link(person.identity(), card, HesCode.parse(code.printed().toLowerCase()), riskless()));

    assertThat(again.created()).isFalse();
    assertThat(again.link().maskedHesCode()).isEqualTo(code.masked());
    assertThat(one("SELECT count(*) FROM card_status_log WHERE card_no = $1", card).getLong(0)).isEqualTo(logRows);
    assertThat(one("SELECT count(*) FROM audit_log WHERE card_no = $1 AND action = 'HES_LINK'", card).getLong(0)).isEqualTo(1);
  }

  @Test
  void aCodeLinkedToAnotherCardIsRefused() {
    Person person = person();
    HesCode code = hesCode();
    long first = linkedCard(person, code);
    long second = personalizedCard(person);
    long third = linkedCard(person, hesCode());

    assertThat(problem(citizens.link(person.identity(), second, code, riskless())))
        .extracting(Problem::status, Problem::code).containsExactly(409, "HES_LINKED_TO_OTHER_CARD");
    assertThat(problem(citizens.update(person.identity(), third, code, riskless())))
        .extracting(Problem::status, Problem::code).containsExactly(409, "HES_LINKED_TO_OTHER_CARD");
    assertThat(reason(first)).isEqualTo("OK");
    assertThat(reason(second)).isEqualTo("NO_HES_CODE");
    assertThat(reason(third)).isEqualTo("OK");
  }

  @Test
  void ofFiftyConcurrentLinksOfOneCodeToCardsOfFiftyPeopleExactlyOneSucceeds() {
    List<Person> people = new ArrayList<>();
    List<Long> cards = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Person person = person();
      people.add(person);
      cards.add(personalizedCard(person));
    }
    HesCode code = hesCode();

    List<Future<Linked>> attempts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      attempts.add(citizens.link(people.get(i).identity(), cards.get(i), code, riskless()));
    }

    assertExactlyOneLinked(attempts, cards, code);
  }

  @Test
  void ofFiftyConcurrentLinksOfOneCodeToCardsOfOnePersonExactlyOneSucceeds() {
    Person person = person();
    List<Long> cards = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cards.add(personalizedCard(person));
    }
    HesCode code = hesCode();

    List<Future<Linked>> attempts = new ArrayList<>();
    for (long card : cards) {
      attempts.add(citizens.link(person.identity(), card, code, riskless()));
    }

    assertExactlyOneLinked(attempts, cards, code);
  }

  private static void assertExactlyOneLinked(List<Future<Linked>> attempts, List<Long> cards, HesCode code) {
    Await.result(Future.join(attempts).otherwiseEmpty());
    assertThat(attempts.stream().filter(Future::succeeded).count()).isEqualTo(1);
    Map<String, Long> failures = attempts.stream().filter(Future::failed)
        .map(attempt -> attempt.cause() instanceof CitizenRefused refused ? refused.reason().name() : attempt.cause().toString())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(failures).isEqualTo(Map.of("HES_LINKED_TO_OTHER_CARD", 49L));
    long winner = attempts.stream().filter(Future::succeeded).findFirst().orElseThrow().result().link().card();
    Row rows = one("SELECT count(*), min(card_no) FROM hes_links WHERE hes_code_hash = $1",
        Buffer.buffer(protector.hash(LookupKeys.HES_CODE_PURPOSE, code.value())));
    assertThat(rows.getLong(0)).isEqualTo(1);
    assertThat(rows.getLong(1)).isEqualTo(winner);
    // The link was committed as on another node: the batch asks once the node under test serves it.
    node.awaitPeerServed();
    Map<String, Long> reasons = node.batch(cards.stream().map(TestNode::tapBody).toList()).stream()
        .collect(Collectors.groupingBy(result -> result.getString("reason"), Collectors.counting()));
    assertThat(reasons).isEqualTo(Map.of("OK", 1L, "NO_HES_CODE", 49L));
    assertThat(reason(winner)).isEqualTo("OK");
  }

  @Test
  void updateReplacesTheCodeAndFreesTheOldOne() {
    Person person = person();
    HesCode old = hesCode();
    HesCode replacement = hesCode();
    long card = linkedCard(person, old);
    LocalDate expiresOn = LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(90);

    HesLink updated = Await.result(citizens.update(person.identity(), card, replacement, MinistryVerdict.riskless(expiresOn)));

    assertThat(updated.maskedHesCode()).isEqualTo(replacement.masked());
    assertThat(updated.expiresOn()).contains(expiresOn);
    assertThat(Await.result(citizens.view(person.identity(), card)).maskedHesCode()).isEqualTo(replacement.masked());
    assertThat(reason(card)).isEqualTo("OK");
    assertThat(Await.result(environment.peer().store().fromDatabase(card)).orElseThrow().hesExpiresOnDay())
        .isEqualTo((int) expiresOn.toEpochDay());
    Row stored = one("SELECT count(*) FROM hes_links WHERE card_no = $1 AND hes_code_hash = $2", card,
        Buffer.buffer(protector.hash(LookupKeys.HES_CODE_PURPOSE, replacement.value())));
    assertThat(stored.getLong(0)).isEqualTo(1);
    // the old code is free again
    long other = linkedCard(person, old);
    assertThat(reason(other)).isEqualTo("OK");
  }

  @Test
  void updatingACardWithoutCodeIsNoHesCode() {
    Person person = person();
    long card = personalizedCard(person);

    assertThat(problem(citizens.update(person.identity(), card, hesCode(), riskless())))
        .extracting(Problem::status, Problem::code).containsExactly(404, "NO_HES_CODE");
    assertThat(problem(citizens.view(person.identity(), card)))
        .extracting(Problem::status, Problem::code).containsExactly(404, "NO_HES_CODE");
  }

  @Test
  void removingTheCodeDeniesTheCardNoHesCode() {
    Person person = person();
    HesCode code = hesCode();
    long card = linkedCard(person, code);
    assertThat(reason(card)).isEqualTo("OK");

    assertThat(Await.result(citizens.remove(person.identity(), card))).isTrue();

    assertThat(reason(card)).isEqualTo("NO_HES_CODE");
    assertThat(Await.result(citizens.remove(person.identity(), card))).isFalse();
    assertThat(problem(citizens.view(person.identity(), card)).code()).isEqualTo("NO_HES_CODE");
    assertThat(one("SELECT count(*) FROM hes_links WHERE card_no = $1", card).getLong(0)).isZero();
  }

  @Test
  void theMinistrysVerdictSuspendsAndReleasesEveryCardOfTheHolder() {
    Person person = person();
    HesCode code = hesCode();
    long card = linkedCard(person, code);
    long second = linkedCard(person, hesCode());
    LocalDate expiresOn = LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(20);

    Optional<RecordedVerdict> risky = Await.result(citizens.recordVerdict(code, MinistryVerdict.risky(expiresOn)));

    assertThat(risky).contains(new RecordedVerdict(card, 2));
    assertThat(reason(card)).isEqualTo("HES_RISK");
    assertThat(reason(second)).isEqualTo("HES_RISK");
    Row risk = one("SELECT risky, source FROM person_risk WHERE identity_hash = $1", Buffer.buffer(person.identityHash()));
    assertThat(risk.getBoolean(0)).isTrue();
    assertThat(risk.getString(1)).isEqualTo("HES_CHECK");
    assertThat(Await.result(citizens.view(person.identity(), card)).ministryStatus()).isEqualTo(HealthStatus.RISKY);

    Await.result(citizens.recordVerdict(code, MinistryVerdict.riskless(expiresOn)));

    assertThat(reason(card)).isEqualTo("OK");
    assertThat(reason(second)).isEqualTo("OK");
    assertThat(one("SELECT risky FROM person_risk WHERE identity_hash = $1", Buffer.buffer(person.identityHash())).getBoolean(0))
        .isFalse();
    HesLink view = Await.result(citizens.view(person.identity(), card));
    assertThat(view.ministryStatus()).isEqualTo(HealthStatus.RISKLESS);
    assertThat(view.expiresOn()).contains(expiresOn);
  }

  @Test
  void aRisklessCheckDoesNotLiftARiskTheDeltaFeedImposed() {
    Person person = person();
    HesCode code = hesCode();
    long card = linkedCard(person, code);
    Await.result(pool.preparedQuery("INSERT INTO person_risk (identity_hash, risky, source) VALUES ($1, true, 'DELTA')")
        .execute(Tuple.of(Buffer.buffer(person.identityHash()))));

    Await.result(citizens.recordVerdict(code, riskless()));

    assertThat(one("SELECT risky, source FROM person_risk WHERE identity_hash = $1", Buffer.buffer(person.identityHash()))
        .getBoolean(0)).isTrue();
    node.commitAsPeer(transaction -> transaction.recompute(new long[] {card}, "TEST"));
    assertThat(reason(card)).isEqualTo("HES_RISK");
  }

  @Test
  void anInvalidatedCodeExpiresTodayAndLeavesTheRiskAlone() {
    Person person = person();
    HesCode code = hesCode();
    long card = linkedCard(person, code);
    LocalDate today = LocalDate.now(ZoneId.of("Europe/Istanbul"));

    assertThat(Await.result(citizens.recordInvalid(code, "EXPIRED", today))).contains(new RecordedVerdict(card, 1));

    assertThat(reason(card)).isEqualTo("HES_EXPIRED");
    assertThat(Await.result(citizens.view(person.identity(), card)).expiresOn()).contains(today);
    assertThat(Await.result(citizens.recordInvalid(hesCode(), "NOT_FOUND", today))).isEmpty();
  }

  @Test
  void aVerdictMovingTheExpiryIntoThePastDeniesHesExpired() {
    Person person = person();
    HesCode code = hesCode();
    long card = linkedCard(person, code);

    Await.result(citizens.recordVerdict(code, MinistryVerdict.riskless(LocalDate.now(ZoneId.of("Europe/Istanbul")).minusDays(1))));

    assertThat(reason(card)).isEqualTo("HES_EXPIRED");
  }

  @Test
  void aVerdictOnACodeNoLongerLinkedChangesNothing() {
    assertThat(Await.result(citizens.recordVerdict(hesCode(), MinistryVerdict.risky(LocalDate.now().plusDays(5))))).isEmpty();
  }

  @Test
  void theAuditTrailRecordsEveryChangeWithoutPersonalData() {
    Person person = person();
    HesCode code = hesCode();
    HesCode replacement = hesCode();
    long card = personalizedCard(person);
    Await.result(citizens.personalize(card, person.personalization()));
    Await.result(citizens.link(person.identity(), card, code, riskless()));
    Await.result(citizens.update(person.identity(), card, replacement, riskless()));
    // A verdict that changes the expiry is audited; one that changes nothing is not.
    Await.result(citizens.recordVerdict(replacement, MinistryVerdict.riskless(LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(90))));
    Await.result(citizens.recordVerdict(replacement, MinistryVerdict.riskless(LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(90))));
    Await.result(citizens.remove(person.identity(), card));

    List<String> actions = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Row row : Await.result(pool.preparedQuery(
            "SELECT action, row_to_json(a)::text, encode(actor_hash, 'hex'), actor_hash FROM audit_log a WHERE card_no = $1 ORDER BY id")
        .execute(Tuple.of(card)))) {
      actions.add(row.getString(0));
      texts.add(row.getString(1));
      if (!row.getString(0).equals("HES_CHECK")) {
        assertThat(row.getBuffer(3).getBytes()).isEqualTo(person.identityHash());
      }
    }
    assertThat(actions).containsExactly("PERSONALIZE", "PERSONALIZE", "HES_LINK", "HES_UPDATE", "HES_CHECK", "HES_REMOVE");
    String all = String.join("\n", texts);
    List<String> secrets = List.of(person.identity().documentNumber(), person.firstName(), person.lastName(), person.phone(),
        person.phone().substring(3), code.value(), code.printed(), code.value().substring(4), replacement.value(),
        replacement.printed(), replacement.value().substring(4));
    for (String secret : secrets) {
      assertThat(all).doesNotContainIgnoringCase(secret);
    }
    assertThat(all).contains(code.prefix()).contains(replacement.prefix());
  }
}
