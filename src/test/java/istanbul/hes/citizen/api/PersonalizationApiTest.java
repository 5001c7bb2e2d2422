package istanbul.hes.citizen.api;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static istanbul.hes.testing.TestNode.jsonWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PUT /v1/cards/{card}/owner on a started node: the whole flow, from challenge to tap. */
class PersonalizationApiTest {
  @RegisterExtension
  static final SharedNode shared = new SharedNode();

  private static TestEnvironment environment;
  private static TestNode node;
  private static int people;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
  }

  /** A synthetic person: a valid TCKN and a mobile number, both registered as personal data. */
  private record Person(String tckn, String phone, String token) {
    static Person next() {
      people++;
      String tckn = Pii.register(Tckn.fromFirstNine(200_000_000L + 104_729L * people).value());
      String phone = Pii.register("+90535" + (3_000_000 + people));
      return new Person(tckn, phone, node.citizenToken("TCKN:" + tckn));
    }
  }

  private static JsonObject challenge(Person person) {
    HttpResponse<Buffer> issued = node.citizen(HttpMethod.POST, "/v1/challenges", jsonWithToken(person.token()),
        new JsonObject().put("phone", person.phone()).toBuffer());
    assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(201);
    String code = node.environment().lastCodeSentTo(person.phone());
    return new JsonObject().put("challengeId", issued.bodyAsJsonObject().getString("challengeId")).put("challengeCode", code);
  }

  private static JsonObject request(Person person, JsonObject challenge) {
    return new JsonObject()
        .put("tckn", person.tckn())
        .put("firstName", "Şükrü").put("lastName", "Yılmaz")
        .put("birthYear", 1985)
        .put("phone", person.phone())
        .put("consents", new JsonObject().put("kvkkNotice", true).put("hesDataSharing", true))
        .put("challengeId", challenge.getString("challengeId"))
        .put("challengeCode", challenge.getString("challengeCode"));
  }

  private static HttpResponse<Buffer> personalize(Person person, long card, JsonObject body) {
    return node.citizen(HttpMethod.PUT, "/v1/cards/" + CardNumber.format(card) + "/owner", jsonWithToken(person.token()),
        body.toBuffer());
  }

  @Test
  void aPersonalizedCardIsDeniedForNoHesCodeAtOnceAndNothingPersonalIsLogged() {
    long card = node.seeder().create(CardClass.ANONYMOUS);
    assertThat(node.reason(card)).isEqualTo("NOT_PERSONALIZED");
    Person person = Person.next();

    HttpResponse<Buffer> response = personalize(person, card, request(person, challenge(person)));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getBoolean("alreadyOwned")).isFalse();
    assertThat(node.reason(card)).isEqualTo("NO_HES_CODE");
    assertThat(LogCapture.lines()).noneMatch(line -> line.contains(person.tckn()) || line.contains(person.phone())
        || line.contains("Şükrü"));
  }

  @Test
  void aPersonTheMinistryMadeRiskyBeforeTheyHadACardIsSuspendedTheMomentTheyPersonalizeOne() {
    long card = node.seeder().create(CardClass.ANONYMOUS);
    Person person = Person.next();
    // As a risk delta for someone without a card yet leaves it: keyed by the identity hash alone.
    String identityHash = java.util.HexFormat.of().formatHex(
        environment.identityProtector().hash(istanbul.hes.identity.LookupKeys.IDENTITY_PURPOSE, "TCKN:" + person.tckn()));
    environment.sql("INSERT INTO person_risk (identity_hash, risky, source) VALUES ('\\x" + identityHash + "', true, 'TEST')");

    assertThat(personalize(person, card, request(person, challenge(person))).statusCode()).isEqualTo(200);

    assertThat(node.reason(card)).isEqualTo("HES_RISK");
  }

  @Test
  void theChallengeIsSingleUseAndAWrongCodeFails() {
    long card = node.seeder().create(CardClass.ANONYMOUS);
    Person person = Person.next();
    JsonObject challenge = challenge(person);
    JsonObject wrong = challenge.copy().put("challengeCode", challenge.getString("challengeCode").equals("000000") ? "111111" : "000000");
    assertProblem(personalize(person, card, request(person, wrong)), 422, "CHALLENGE_FAILED");
    assertThat(personalize(person, card, request(person, challenge)).statusCode()).isEqualTo(200);
    assertProblem(personalize(person, card, request(person, challenge)), 422, "CHALLENGE_FAILED");
  }

  @Test
  void anExpiredChallengeIsRefusedWithAProblem() {
    try (TestEnvironment shortLived = new TestEnvironment(java.util.Map.of("citizen.challengeTtlSeconds", "1"));
        istanbul.hes.testing.TestRedis redis = new istanbul.hes.testing.TestRedis()) {
      TestNode other = shortLived.startNode();
      long card = other.seeder().create(CardClass.ANONYMOUS);
      people++;
      String tckn = Pii.register(Tckn.fromFirstNine(300_000_000L + 104_729L * people).value());
      String phone = Pii.register("+90536" + (3_000_000 + people));
      String token = other.citizenToken("TCKN:" + tckn);
      HttpResponse<Buffer> issued = other.citizen(HttpMethod.POST, "/v1/challenges", jsonWithToken(token),
          new JsonObject().put("phone", phone).toBuffer());
      assertThat(issued.statusCode()).isEqualTo(201);
      String challengeId = issued.bodyAsJsonObject().getString("challengeId");
      String code = other.environment().lastCodeSentTo(phone);
      String key = other.node().config().redis().keyPrefix() + "challenge:" + challengeId;
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(50))
          .until(() -> !redis.exists(key));

      JsonObject body = new JsonObject().put("tckn", tckn).put("firstName", "Şükrü").put("lastName", "Yılmaz")
          .put("birthYear", 1985).put("phone", phone)
          .put("consents", new JsonObject().put("kvkkNotice", true).put("hesDataSharing", true))
          .put("challengeId", challengeId).put("challengeCode", code);
      assertProblem(other.citizen(HttpMethod.PUT, "/v1/cards/" + CardNumber.format(card) + "/owner", jsonWithToken(token),
          body.toBuffer()), 422, "CHALLENGE_FAILED");
      assertThat(other.reason(card)).isEqualTo("NOT_PERSONALIZED");
    }
  }

  @Test
  void anotherPersonsIdentityOrCardIsRefused() {
    long card = node.seeder().create(CardClass.ANONYMOUS);
    Person owner = Person.next();
    Person other = Person.next();
    assertProblem(personalize(other, card, request(owner, challenge(other)).put("phone", other.phone())), 403, "IDENTITY_MISMATCH");

    assertThat(personalize(owner, card, request(owner, challenge(owner))).statusCode()).isEqualTo(200);
    assertProblem(personalize(other, card, request(other, challenge(other))), 409, "CARD_NOT_AVAILABLE");
  }

  /**
   * No existence oracle: with a valid challenge, someone else's card and a number no card has get
   * byte-identical answers. Both go through the same statement and the same test in
   * CitizenRepository.personalize (no early return for either), so they cost the same work too.
   */
  @Test
  void someoneElsesCardAndANumberNoCardHasGetTheSameAnswer() {
    long taken = node.seeder().create(CardClass.ANONYMOUS);
    Person owner = Person.next();
    assertThat(personalize(owner, taken, request(owner, challenge(owner))).statusCode()).isEqualTo(200);
    Person other = Person.next();
    long missing = istanbul.hes.testing.CardSeeder.unusedCardNumber();

    HttpResponse<Buffer> onTaken = personalize(other, taken, request(other, challenge(other)));
    HttpResponse<Buffer> onMissing = personalize(other, missing, request(other, challenge(other)));

    JsonObject problem = assertProblem(onTaken, 409, "CARD_NOT_AVAILABLE");
    assertThat(onMissing.statusCode()).isEqualTo(onTaken.statusCode());
    assertThat(new java.util.TreeSet<>(onMissing.headers().names())).isEqualTo(new java.util.TreeSet<>(onTaken.headers().names()));
    assertThat(onMissing.getHeader("Content-Type")).isEqualTo(onTaken.getHeader("Content-Type"));
    assertThat(onMissing.body().getBytes()).isEqualTo(onTaken.body().getBytes());
    assertThat(problem.getString("detail")).contains("number printed on the card").contains("sales point").contains("153");
    assertThat(node.reason(taken)).isEqualTo("NO_HES_CODE");
  }

  @Test
  void badInputGetsItsOwnProblem() {
    long card = node.seeder().create(CardClass.ANONYMOUS);
    Person person = Person.next();
    JsonObject good = request(person, challenge(person));
    assertProblem(personalize(person, card, good.copy().put("consents", new JsonObject().put("kvkkNotice", true)
        .put("hesDataSharing", false))), 400, "CONSENT_REQUIRED");
    assertProblem(personalize(person, card, good.copy().put("tckn", person.tckn().substring(0, 10) + ((person.tckn().charAt(10) - '0' + 1) % 10))),
        400, "INVALID_TCKN");
    assertProblem(personalize(person, card, good.copy().put("firstName", "R2D2")), 400, "INVALID_NAME");
    assertProblem(personalize(person, card, good.copy().put("birthYear", 1850)), 400, "INVALID_BIRTH_YEAR");
    assertProblem(personalize(person, card, good.copy().put("birthYear", "1985")), 400, "INVALID_REQUEST");
    JsonObject noIdentity = good.copy();
    noIdentity.remove("tckn");
    assertProblem(personalize(person, card, noIdentity), 400, "MISSING_IDENTITY");
    assertProblem(node.citizen(HttpMethod.PUT, "/v1/cards/4000-1234/owner", jsonWithToken(person.token()), good.toBuffer()),
        400, "INVALID_CARD");
    // The challenge was never consumed by the refusals above: it still personalizes.
    assertThat(personalize(person, card, good).statusCode()).isEqualTo(200);
  }
}
