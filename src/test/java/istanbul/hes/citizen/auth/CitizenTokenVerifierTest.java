package istanbul.hes.citizen.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import istanbul.hes.auth.TokenSettings;
import istanbul.hes.http.ProblemException;
import istanbul.hes.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Only tokens of the configured issuer, audience, algorithm and key, with a bounded life, pass. */
class CitizenTokenVerifierTest {
  private static final String ISSUER = "https://kimlik.example.istanbul";
  private static final String AUDIENCE = "hes-gateway";
  private static final String SUBJECT = "TCKN:10000000146";

  private static final Vertx vertx = Vertx.vertx();
  private static final DevelopmentTokenIssuer identityProvider = DevelopmentTokenIssuer.generated("ES256");
  private static final CitizenTokenVerifier verifier = CitizenTokenVerifier.create(vertx,
      new TokenSettings(ISSUER, AUDIENCE, "ES256", identityProvider.publicKeyPem(), 30, 3600));

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  @Test
  void aTokenOfTheIdentityProviderNamesThePerson() {
    String token = identityProvider.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofMinutes(15));
    assertThat(Await.result(verifier.verify("Bearer " + token)).subject()).isEqualTo(SUBJECT);
    assertThat(Await.result(verifier.verify("bearer " + token)).subject()).isEqualTo(SUBJECT);
  }

  @Test
  void wrongIssuerAudienceOrExpiredTokensAreRefused() {
    assertRefused(identityProvider.mint(vertx, SUBJECT, "https://elsewhere.example", AUDIENCE, Duration.ofMinutes(15)));
    assertRefused(identityProvider.mint(vertx, SUBJECT, ISSUER, "another-service", Duration.ofMinutes(15)));
    assertRefused(identityProvider.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofSeconds(-120)));
  }

  @Test
  void theAlgorithmIsPinnedEitherWay() {
    DevelopmentTokenIssuer rsa = DevelopmentTokenIssuer.generated("RS256");
    CitizenTokenVerifier rs256 = CitizenTokenVerifier.create(vertx,
        new TokenSettings(ISSUER, AUDIENCE, "RS256", rsa.publicKeyPem(), 30, 3600));
    assertThat(Await.result(rs256.verify("Bearer " + rsa.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofMinutes(5)))).subject())
        .isEqualTo(SUBJECT);
    assertRefused(rs256, identityProvider.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofMinutes(5)));
    assertRefused(rsa.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofMinutes(5)));
  }

  @Test
  void aRememberedTokenStillExpiresAndOnlyTheExactTokenIsRemembered() {
    CitizenTokenVerifier strict = CitizenTokenVerifier.create(vertx,
        new TokenSettings(ISSUER, AUDIENCE, "ES256", identityProvider.publicKeyPem(), 0, 3600), 100);
    String token = identityProvider.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofSeconds(2));
    assertThat(Await.result(strict.verify("Bearer " + token)).subject()).isEqualTo(SUBJECT);
    assertThat(Await.result(strict.verify("Bearer " + token)).subject()).as("from the cache").isEqualTo(SUBJECT);

    // A different signature on the same header and claims is not the remembered token.
    String[] parts = token.split("\\.");
    String otherSignature = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    assertRefused(strict, otherSignature);

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> Await.result(strict.verify("Bearer " + token).transform(done -> Future.succeededFuture(done.failed()))));
  }

  @Test
  void aSignedTokenWhoseSubjectIsNoIdentityIsRefused() {
    for (String subject : new String[] {"10000000146", "TCKN:10000000147", "TCKN:١٠٠٠٠٠٠٠١٤٦", "PASSPORT:deu:c01x00t47",
        "admin"}) {
      assertRefused(identityProvider.mint(vertx, subject, ISSUER, AUDIENCE, Duration.ofMinutes(15)));
    }
  }

  @Test
  void aTokenLivingLongerThanAllowedIsRefused() {
    assertRefused(identityProvider.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofHours(2)));
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefused() {
    assertRefused(DevelopmentTokenIssuer.generated("ES256").mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofMinutes(15)));
  }

  @Test
  void aTamperedTokenIsRefused() {
    String token = identityProvider.mint(vertx, SUBJECT, ISSUER, AUDIENCE, Duration.ofMinutes(15));
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("sub", "TCKN:10000000078");
    assertRefused(parts[0] + "." + base64(claims.encode()) + "." + parts[2]);
  }

  @Test
  void unsignedAndAlgorithmConfusionTokensAreRefused() {
    long now = System.currentTimeMillis() / 1000;
    String claims = base64(new JsonObject().put("sub", SUBJECT).put("iss", ISSUER).put("aud", AUDIENCE)
        .put("iat", now).put("exp", now + 600).encode());
    assertRefused(base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + claims + ".");

    // HS256 keyed with the public key's text: the classic confusion attack.
    JWTAuth hmac = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(identityProvider.publicKeyPem())));
    assertRefused(hmac.generateToken(new JsonObject(), new JWTOptions().setAlgorithm("HS256")
        .setSubject(SUBJECT).setIssuer(ISSUER).setAudience(List.of(AUDIENCE)).setExpiresInMinutes(10)));
  }

  @Test
  void missingOrMalformedHeadersAreRefused() {
    for (String header : new String[] {null, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt", "Token abc"}) {
      Future<CitizenPrincipal> verified = verifier.verify(header);
      assertThat(Await.failure(verified)).as(String.valueOf(header)).isInstanceOf(ProblemException.class);
    }
  }

  private static void assertRefused(String token) {
    assertRefused(verifier, token);
  }

  private static void assertRefused(CitizenTokenVerifier verifier, String token) {
    Throwable failure = Await.failure(verifier.verify("Bearer " + token));
    assertThat(failure).isInstanceOf(ProblemException.class);
    assertThat(((ProblemException) failure).problem().status()).isEqualTo(401);
    assertThat(((ProblemException) failure).problem().code()).isEqualTo("UNAUTHORIZED");
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
