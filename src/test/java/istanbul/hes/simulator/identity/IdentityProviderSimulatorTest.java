package istanbul.hes.simulator.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import istanbul.hes.simulator.identity.IdentityProviderSimulator.Person;
import istanbul.hes.testing.Await;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The development identity provider over HTTP, as the portal's page and a browser use it: the
 * authorization code flow with PKCE, and every way a request of it can be wrong.
 */
class IdentityProviderSimulatorTest {
  private static final String PORTAL = "http://127.0.0.1:8081/portal/";
  private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  /** RFC 7636's example: BASE64URL(SHA256(VERIFIER)). */
  private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  private Vertx vertx;
  private IdentityProviderSimulator provider;
  private WebClient web;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    provider = new IdentityProviderSimulator("127.0.0.1", 0, "hes-portal",
        List.of(new Person("TCKN:10000000146", "Ayşe <b>Yılmaz</b>", "card & codes")), subject -> "token-of-" + subject,
        Duration.ofMinutes(15));
    Await.result(vertx.deployVerticle(provider));
    provider.allowRedirect(PORTAL);
    web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
  }

  @AfterEach
  void stop() {
    web.close();
    Await.result(vertx.close());
  }

  @Test
  void aPersonChosenOnTheSignInPageGetsATokenForTheCodeAndTheVerifier() {
    HttpResponse<Buffer> page = authorize(Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Security-Policy")).contains("form-action 'self' http://127.0.0.1:8081").doesNotContain("script");
    assertThat(page.bodyAsString()).as("names are escaped").contains("Ayşe &lt;b&gt;Yılmaz&lt;/b&gt;").contains("card &amp; codes")
        .doesNotContain("<b>Yılmaz");

    String code = signIn("0", "state-1");
    HttpResponse<Buffer> token = token(code, VERIFIER, PORTAL, "http://127.0.0.1:8081");
    assertThat(token.statusCode()).as(token.bodyAsString()).isEqualTo(200);
    assertThat(token.bodyAsJsonObject()).isEqualTo(new JsonObject().put("access_token", "token-of-TCKN:10000000146")
        .put("token_type", "Bearer").put("expires_in", 900L));
    assertThat(token.getHeader("Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:8081");
    assertThat(token.getHeader("Cache-Control")).isEqualTo("no-store");

    assertThat(token(code, VERIFIER, PORTAL, "http://127.0.0.1:8081").bodyAsJsonObject().getString("error"))
        .as("a code is good once").isEqualTo("invalid_grant");
  }

  @Test
  void aWrongVerifierRedirectOrClientGetsNoToken() {
    assertThat(token(signIn("0", "s"), "x".repeat(43), PORTAL, null).bodyAsJsonObject().getString("error")).isEqualTo("invalid_grant");
    assertThat(token(signIn("0", "s"), "short", PORTAL, null).bodyAsJsonObject().getString("error")).isEqualTo("invalid_grant");
    assertThat(token(signIn("0", "s"), VERIFIER, "http://127.0.0.1:8081/other/", null).statusCode()).isEqualTo(400);
    assertThat(token("no-such-code", VERIFIER, PORTAL, null).statusCode()).isEqualTo(400);
  }

  @Test
  void aSignInRequestThatIsNotTheRegisteredClientsIsRefusedWithoutARedirect() {
    for (Map<String, String> wrong : List.of(Map.of("client_id", "someone-else"), Map.of("redirect_uri", "https://evil.example/"),
        Map.of("response_type", "token"), Map.of("code_challenge_method", "plain"), Map.of("code_challenge", "short"),
        Map.of("state", ""))) {
      HttpResponse<Buffer> answer = authorize(wrong);
      assertThat(answer.statusCode()).as("%s", wrong).isEqualTo(400);
      assertThat(answer.getHeader("Location")).as("%s", wrong).isNull();
    }
    MultiMap form = signInForm("7", "s");
    assertThat(Await.result(web.post(provider.actualPort(), "127.0.0.1", "/authorize").sendForm(form)).statusCode())
        .as("a person not listed").isEqualTo(400);
  }

  @Test
  void otherOriginsAreNotAnsweredCrossOriginAndTheProviderCanBeDown() {
    HttpResponse<Buffer> foreign = token(signIn("0", "s"), VERIFIER, PORTAL, "https://evil.example");
    assertThat(foreign.getHeader("Access-Control-Allow-Origin")).isNull();
    provider.failWith(503);
    assertThat(token(signIn("0", "s"), VERIFIER, PORTAL, null).statusCode()).isEqualTo(503);
    provider.failWith(0);
    assertThat(token(signIn("0", "s"), VERIFIER, PORTAL, null).statusCode()).isEqualTo(200);
  }

  private HttpResponse<Buffer> authorize(Map<String, String> changes) {
    Map<String, String> query = new java.util.LinkedHashMap<>(Map.of("response_type", "code", "client_id", "hes-portal",
        "redirect_uri", PORTAL, "state", "state-1", "code_challenge", CHALLENGE, "code_challenge_method", "S256"));
    query.putAll(changes);
    StringBuilder uri = new StringBuilder(IdentityProviderSimulator.AUTHORIZE_PATH).append('?');
    query.forEach((key, value) -> uri.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
    return Await.result(web.get(provider.actualPort(), "127.0.0.1", uri.toString()).send());
  }

  private MultiMap signInForm(String person, String state) {
    return MultiMap.caseInsensitiveMultiMap().add("person", person).add("client_id", "hes-portal").add("redirect_uri", PORTAL)
        .add("state", state).add("code_challenge", CHALLENGE);
  }

  /** Chooses a person on the sign-in page; returns the code of the redirect back to the portal. */
  private String signIn(String person, String state) {
    HttpResponse<Buffer> answer = Await.result(web.post(provider.actualPort(), "127.0.0.1", "/authorize")
        .sendForm(signInForm(person, state)));
    assertThat(answer.statusCode()).isEqualTo(303);
    Matcher location = Pattern.compile("^" + Pattern.quote(PORTAL) + "\\?code=([A-Za-z0-9_-]+)&state=" + Pattern.quote(state) + "$")
        .matcher(answer.getHeader("Location"));
    assertThat(location.matches()).as(answer.getHeader("Location")).isTrue();
    return location.group(1);
  }

  private HttpResponse<Buffer> token(String code, String verifier, String redirect, String origin) {
    HttpRequest<Buffer> request = web.post(provider.actualPort(), "127.0.0.1", IdentityProviderSimulator.TOKEN_PATH);
    if (origin != null) {
      request.putHeader("Origin", origin);
    }
    return Await.result(request.sendForm(MultiMap.caseInsensitiveMultiMap().add("grant_type", "authorization_code").add("code", code)
        .add("redirect_uri", redirect).add("client_id", "hes-portal").add("code_verifier", verifier)));
  }
}
