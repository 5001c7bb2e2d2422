package istanbul.hes.simulator.identity;

import static istanbul.hes.simulator.SimulatorHttp.json;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import istanbul.hes.simulator.FailingStatus;
import istanbul.hes.simulator.SimulatorHttp;
import istanbul.hes.simulator.SimulatorServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A simulated identity provider of the personalization portal (the development one): a real HTTP
 * server speaking the OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256 only) that a
 * public client such as the portal's page uses. Its sign-in page lists the demo's people instead
 * of asking for a password; choosing one sends the browser back to the portal with a one-time
 * code, which the page exchanges at {@value #TOKEN_PATH} for a citizen token signed by
 * {@code mint} (the demo's development key). For the demo and the tests only: the gateway has no
 * code of it, and it uses none of the gateway's.
 *
 * <pre>
 * GET  /authorize?response_type=code&amp;client_id&amp;redirect_uri&amp;state&amp;code_challenge&amp;code_challenge_method=S256
 *                      → 200 the sign-in page (a registered client and redirect URI only; else 400, never a redirect)
 * POST /authorize      (the page's form: person, and the request's parameters) → 303 redirect_uri?code=…&amp;state=…
 * POST /token          grant_type=authorization_code, code, redirect_uri, client_id, code_verifier (form)
 *                      → 200 {"access_token","token_type":"Bearer","expires_in"}; 400 {"error":"invalid_grant"|…}
 * PUT  /simulator/failing {"status":503} → the next POST /token answer that status; {"status":0} heals
 * </pre>
 *
 * A code is good once, for {@value #CODE_SECONDS} s, for the client, redirect URI and PKCE
 * challenge it was issued with. The token endpoint answers cross-origin requests from the
 * registered redirect URIs' origins only.
 */
public final class IdentityProviderSimulator extends SimulatorServer {
  public static final String AUTHORIZE_PATH = "/authorize";
  public static final String TOKEN_PATH = "/token";
  static final int CODE_SECONDS = 60;
  private static final int BODY_LIMIT = 8 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A person the sign-in page offers: the token's subject ("TCKN:…" or "PASSPORT:NAT:…"), a name and what the demo gave them. */
  public record Person(String subject, String name, String description) {
    public Person {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
    }

    @Override
    public String toString() {
      return "Person[***]";
    }
  }

  private record IssuedCode(String subject, String clientId, String redirectUri, String challenge, Instant expires) {}

  private final String host;
  private final int port;
  private final String clientId;
  private final List<Person> people = new CopyOnWriteArrayList<>();
  private final Function<String, String> mint;
  private final Duration tokenLifetime;
  private final Set<String> redirectUris = ConcurrentHashMap.newKeySet();
  private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
  private final FailingStatus failing = new FailingStatus();
  private final Clock clock = Clock.systemUTC();

  /**
   * @param port 0 = any free port
   * @param mint signs a citizen token for a subject (run on a worker: it signs)
   * @param tokenLifetime what {@code expires_in} says; the token's own expiry is {@code mint}'s
   */
  public IdentityProviderSimulator(String host, int port, String clientId, List<Person> people, Function<String, String> mint,
      Duration tokenLifetime) {
    this.host = host;
    this.port = port;
    this.clientId = clientId;
    this.people.addAll(people);
    this.mint = mint;
    this.tokenLifetime = tokenLifetime;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.put().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.get(AUTHORIZE_PATH).handler(this::signInPage);
    router.post(AUTHORIZE_PATH).handler(this::signIn);
    router.post(TOKEN_PATH).handler(this::allowOrigin).handler(failing::apply).handler(this::token);
    router.put("/simulator/failing").handler(failing::put);
    router.route().failureHandler(SimulatorHttp::failure);
    return listen(new HttpServerOptions().setHost(host).setPort(port), router);
  }

  /** Offers one more person on the sign-in page; returns the index of their button ({@code person-<index>}). */
  public synchronized int addPerson(Person person) {
    people.add(person);
    return people.size() - 1;
  }

  /** Lets the portal at this exact URL (its page's address, e.g. http://127.0.0.1:8081/portal/) sign people in. */
  public IdentityProviderSimulator allowRedirect(String redirectUri) {
    redirectUris.add(redirectUri);
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + actualPort();
  }

  public String authorizationUrl() {
    return baseUrl() + AUTHORIZE_PATH;
  }

  public String tokenUrl() {
    return baseUrl() + TOKEN_PATH;
  }

  /** Makes POST /token answer this status until set to 0 (the provider down). */
  public void failWith(int status) {
    failing.set(status);
  }

  // The sign-in page

  private void signInPage(RoutingContext context) {
    MultiMap query = context.queryParams();
    String problem = authorizationProblem(query.get("response_type"), query.get("client_id"), query.get("redirect_uri"),
        query.get("state"), query.get("code_challenge"), query.get("code_challenge_method"));
    if (problem != null) {
      page(context.response(), 400, "Sign-in refused", "<p>" + escape(problem) + "</p>", null);
      return;
    }
    StringBuilder list = new StringBuilder("<ul class=\"people\">");
    for (int i = 0; i < people.size(); i++) {
      Person person = people.get(i);
      list.append("<li><form method=\"post\" action=\"").append(AUTHORIZE_PATH).append("\">")
          .append(hidden("person", Integer.toString(i)))
          .append(hidden("client_id", query.get("client_id")))
          .append(hidden("redirect_uri", query.get("redirect_uri")))
          .append(hidden("state", query.get("state")))
          .append(hidden("code_challenge", query.get("code_challenge")))
          .append("<button type=\"submit\" id=\"person-").append(i).append("\"><strong>").append(escape(person.name()))
          .append("</strong><br><small>").append(escape(person.description())).append("</small></button></form></li>");
    }
    list.append("</ul>");
    page(context.response(), 200, "Development identity provider – choose a demo person",
        "<p>This development identity provider stands in for the portal's real one. Choose who you are:</p>" + list,
        originOf(query.get("redirect_uri")));
  }

  private void signIn(RoutingContext context) {
    MultiMap form = context.request().formAttributes();
    String redirect = form.get("redirect_uri");
    String problem = authorizationProblem("code", form.get("client_id"), redirect, form.get("state"), form.get("code_challenge"),
        "S256");
    int person = parsePerson(form.get("person"));
    if (problem == null && person < 0) {
      problem = "choose one of the people listed";
    }
    if (problem != null) {
      page(context.response(), 400, "Sign-in refused", "<p>" + escape(problem) + "</p>", null);
      return;
    }
    String code = randomToken();
    codes.put(code, new IssuedCode(people.get(person).subject(), form.get("client_id"), redirect, form.get("code_challenge"),
        clock.instant().plusSeconds(CODE_SECONDS)));
    context.response().setStatusCode(303)
        .putHeader("Location", redirect + "?code=" + encode(code) + "&state=" + encode(form.get("state")))
        .putHeader("Cache-Control", "no-store")
        .end();
  }

  private String authorizationProblem(String responseType, String client, String redirectUri, String state, String challenge,
      String method) {
    if (!clientId.equals(client)) {
      return "unknown client_id";
    }
    if (redirectUri == null || !redirectUris.contains(redirectUri)) {
      return "redirect_uri is not registered for this client";
    }
    if (!"code".equals(responseType)) {
      return "response_type must be code";
    }
    if (state == null || state.isEmpty() || state.length() > 256) {
      return "state is required (at most 256 characters)";
    }
    if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{43}") || !"S256".equals(method)) {
      return "a PKCE code_challenge (S256) is required";
    }
    return null;
  }

  private int parsePerson(String value) {
    try {
      int index = Integer.parseInt(value);
      return index >= 0 && index < people.size() ? index : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // The token endpoint

  private void token(RoutingContext context) {
    MultiMap form = context.request().formAttributes();
    context.response().putHeader("Cache-Control", "no-store");
    if (!"authorization_code".equals(form.get("grant_type"))) {
      json(context.response(), 400, new JsonObject().put("error", "unsupported_grant_type"));
      return;
    }
    IssuedCode issued = form.get("code") == null ? null : codes.remove(form.get("code"));
    if (issued == null || issued.expires().isBefore(clock.instant()) || !issued.clientId().equals(form.get("client_id"))
        || !issued.redirectUri().equals(form.get("redirect_uri"))
        || !issued.challenge().equals(challengeOf(form.get("code_verifier")))) {
      json(context.response(), 400, new JsonObject().put("error", "invalid_grant"));
      return;
    }
    vertx.executeBlocking(() -> mint.apply(issued.subject()))
        .onSuccess(token -> json(context.response(), 200, new JsonObject()
            .put("access_token", token)
            .put("token_type", "Bearer")
            .put("expires_in", tokenLifetime.toSeconds())))
        .onFailure(context::fail);
  }

  /**
   * CORS for the registered portals' origins only. The page posts a form (a CORS "simple"
   * request): no preflight comes first.
   */
  private void allowOrigin(RoutingContext context) {
    String origin = context.request().getHeader("Origin");
    if (origin != null && redirectUris.stream().anyMatch(uri -> origin.equals(originOf(uri)))) {
      context.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
    }
    context.next();
  }

  /** BASE64URL(SHA-256(verifier)) without padding, as RFC 7636 says; null for a missing or malformed verifier. */
  static String challengeOf(String verifier) {
    if (verifier == null || !verifier.matches("[A-Za-z0-9._~-]{43,128}")) {
      return null;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // HTML

  private static void page(HttpServerResponse response, int status, String title, String body, String portalOrigin) {
    // No script at all; the person's form posts here and is redirected to the portal, which form-action must allow.
    String formAction = portalOrigin == null ? "'self'" : "'self' " + portalOrigin;
    response.setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action " + formAction
            + "; frame-ancestors 'none'; base-uri 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store")
        .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title) + "</title>"
            + "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem}"
            + ".people{list-style:none;padding:0}.people button{width:100%;text-align:left;padding:.75rem;margin:.25rem 0;"
            + "font:inherit;border:1px solid #888;border-radius:.5rem;background:#f6f6f6;cursor:pointer}"
            + ".people button:focus{outline:3px solid #0b5ed7}</style></head><body><h1>" + escape(title) + "</h1>" + body
            + "</body></html>");
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">";
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private static String originOf(String uri) {
    try {
      URI parsed = URI.create(uri);
      return parsed.getScheme() + "://" + parsed.getRawAuthority();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
