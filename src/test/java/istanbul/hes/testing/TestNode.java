package istanbul.hes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.cardstore.CardStatusUpdate;
import istanbul.hes.cardstore.MapLoad;
import istanbul.hes.cardstore.StatusTransaction;
import istanbul.hes.fanout.FanoutPeer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.awaitility.Awaitility;

/** A running gateway node of a {@link TestEnvironment}, with the HTTP calls tests make to it. */
public final class TestNode implements AutoCloseable {
  public static final String AT = "2026-11-21T08:00:00Z";
  public static final String VALIDATOR = "M2-TAKSIM-07";

  private final TestEnvironment environment;
  private final GatewayNode node;
  private final Http http;
  private boolean stopped;

  TestNode(TestEnvironment environment, GatewayNode node, Http http) {
    this.environment = environment;
    this.node = node;
    this.http = http;
  }

  public GatewayNode node() {
    return node;
  }

  public TestEnvironment environment() {
    return environment;
  }

  public MapLoad awaitLoaded() {
    return Await.result(node.mapLoaded(), Duration.ofSeconds(120));
  }

  /**
   * A seeder committing as another node of the cluster ({@link #commitAsPeer}): each of its calls
   * returns once this node serves the change.
   */
  public CardSeeder seeder() {
    return new CardSeeder(new StatusCommits() {
      @Override
      public <T> T commit(Function<StatusTransaction, Future<T>> work) {
        return commitAsPeer(work);
      }
    }, environment.identityProtector(), node.config().tap().timeZone());
  }

  /**
   * Commits {@code work} as another node of the cluster does (PostgreSQL, change log, status
   * stream) and returns once this node's map holds the changes, as seen through the operators'
   * card endpoint: what a test changes next finds the node up to date.
   */
  public <T> T commitAsPeer(Function<StatusTransaction, Future<T>> work) {
    FanoutPeer.Committed<T> committed = Await.result(environment.peer().commit(work));
    awaitServed(committed.updates());
    return committed.result();
  }

  /** Waits until this node serves the last commit made through the environment's peer store ({@link FanoutPeer#store()}). */
  public void awaitPeerServed() {
    awaitServed(Await.result(environment.peer().lastPublished()));
  }

  /**
   * Waits until this node's map holds {@code updates}. A stream entry is applied in one go, in
   * order, so the last change being there means all are.
   */
  public void awaitServed(List<CardStatusUpdate> updates) {
    if (updates.isEmpty()) {
      return;
    }
    CardStatusUpdate last = updates.get(updates.size() - 1);
    Awaitility.await("node serves version " + last.version() + " of card " + CardNumber.format(last.card()))
        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(() -> mapVersion(last.card()) >= last.version());
  }

  /**
   * Puts a status PostgreSQL never wrote into this node's map (through the status stream, as a
   * faulty peer would) and waits until the node serves it.
   */
  public void damageMap(long card, CardStatus status) {
    List<CardStatusUpdate> damage = List.of(CardStatusUpdate.of(card, status));
    Await.result(environment.peer().publishUncommitted(damage));
    awaitServed(damage);
  }

  /** How many cards this node's map holds ({@code gateway_card_map_entries}). */
  public long mapEntries() {
    return (long) MetricSamples.value(metrics(), "gateway_card_map_entries");
  }

  /** The version of a card in this node's map (operators' card endpoint); -1 when the map lacks it. */
  public long mapVersion(long card) {
    JsonObject map = describe(card).getJsonObject("map");
    return map == null ? -1 : map.getLong("version");
  }

  /** What the operators' card endpoint says of a card: {@code database} and {@code map}. */
  public JsonObject describe(long card) {
    HttpResponse<Buffer> response = operator(HttpMethod.GET, "/admin/v1/cards/" + CardNumber.format(card), null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  // Tap listener

  public static JsonObject tapBody(long card) {
    return tapBody(CardNumber.format(card));
  }

  public static JsonObject tapBody(String card) {
    return new JsonObject().put("card", card).put("validator", VALIDATOR).put("at", AT);
  }

  public HttpResponse<Buffer> postTap(String body) {
    return postTaps("/v1/taps", Buffer.buffer(body), jsonWithToken(environment.clusterToken()));
  }

  public HttpResponse<Buffer> postTaps(String path, Buffer body, Map<String, String> headers) {
    return http.send(HttpMethod.POST, node.tapPort(), path, headers, body);
  }

  public HttpResponse<Buffer> citizen(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    return http.send(method, node.citizenPort(), path, headers, body);
  }

  public io.vertx.core.Future<HttpResponse<Buffer>> citizenAsync(HttpMethod method, String path, Map<String, String> headers,
      Buffer body) {
    return http.sendAsync(method, node.citizenPort(), path, headers, body);
  }

  public HttpResponse<Buffer> points(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    return http.send(method, node.pointsPort(), path, headers, body);
  }

  /** A token of the test staff identity provider for an agent at a point (the configured role), valid for 15 minutes. */
  public String agentToken(String agent, String point) {
    return agentToken(agent, point, node.config().points().agentRole());
  }

  public String agentToken(String agent, String point, String role) {
    return environment.staffProvider().mintAgent(environment.vertx(), agent, point, role, node.config().points().tokenIssuer(),
        node.config().points().tokenAudience(), java.time.Duration.ofMinutes(15));
  }

  /** A token of the test identity provider for {@code subject}, valid for 15 minutes. */
  public String citizenToken(String subject) {
    return environment.identityProvider().mint(environment.vertx(), subject, node.config().citizen().tokenIssuer(),
        node.config().citizen().tokenAudience(), java.time.Duration.ofMinutes(15));
  }

  public HttpResponse<Buffer> tapRequest(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    return http.send(method, node.tapPort(), path, headers, body);
  }

  /** The reason of a single tap, which must be answered 200. */
  public String reason(long card) {
    HttpResponse<Buffer> response = postTap(tapBody(card).encode());
    assertThat(response.statusCode()).as("tap answer: %s", response.bodyAsString()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("card")).isEqualTo(CardNumber.format(card));
    assertThat(answer.getString("decision")).isEqualTo(answer.getString("reason").equals("OK") ? "ALLOW" : "DENY");
    return answer.getString("reason");
  }

  /** Results of one batch, in order; the batch must be answered 200. */
  public List<JsonObject> batch(List<JsonObject> taps) {
    HttpResponse<Buffer> response = postTaps("/v1/taps/batch",
        new JsonObject().put("taps", new JsonArray(List.copyOf(taps))).toBuffer(), jsonWithToken(environment.clusterToken()));
    assertThat(response.statusCode()).as("batch answer: %s", response.bodyAsString()).isEqualTo(200);
    JsonArray results = response.bodyAsJsonObject().getJsonArray("results");
    return results.stream().map(JsonObject.class::cast).toList();
  }

  public static Map<String, String> jsonWithToken(String token) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Authorization", "Bearer " + token);
    return headers;
  }

  // Admin listener

  public HttpResponse<Buffer> admin(HttpMethod method, String path, JsonObject body, String token) {
    return admin(method, path, body == null ? null : body.toBuffer(), token);
  }

  public HttpResponse<Buffer> admin(HttpMethod method, String path, Buffer body, String token) {
    Map<String, String> headers = new HashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return http.send(method, node.adminPort(), path, headers, body);
  }

  public HttpResponse<Buffer> operator(HttpMethod method, String path, JsonObject body) {
    return admin(method, path, body, environment.operatorToken());
  }

  /** An operator request with headers of its own on top (the four-eyes tokens, say). */
  public HttpResponse<Buffer> operator(HttpMethod method, String path, Buffer body, Map<String, String> extraHeaders) {
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Authorization", "Bearer " + environment.operatorToken());
    headers.put("Content-Type", "application/json");
    return http.send(method, node.adminPort(), path, headers, body);
  }

  /** The operators' consistency check of this node's map ({@code full} or {@code sample}). */
  public JsonObject consistency(String mode) {
    HttpResponse<Buffer> response = operator(HttpMethod.GET, "/admin/v1/consistency?mode=" + mode, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  public String metrics() {
    HttpResponse<Buffer> response = http.get(node.adminPort(), "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsString();
  }

  public int readiness() {
    return http.get(node.adminPort(), "/health/ready").statusCode();
  }

  /** Stops the node cleanly (the map file is closed clean). */
  public void stop() {
    if (!stopped) {
      stopped = true;
      Await.result(node.stop(), Duration.ofSeconds(60));
      environment.stopped(this);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
