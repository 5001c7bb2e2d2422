package istanbul.hes.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.db.Database;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark sees of a running node from outside, as an operator does: its PostgreSQL
 * (through a pool of the benchmark's own), its operator API and its metrics. Benchmarks never
 * reach into the node.
 */
final class NodeProbe implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final GatewayConfig config;
  private final GatewayNode node;
  private final Pool pool;

  NodeProbe(GatewayConfig config, GatewayNode node) {
    this.config = config;
    this.node = node;
    this.pool = Database.pool(vertx, config.database());
  }

  void execute(String sql) {
    pool.query(sql).execute().await();
  }

  /** The numbers a query answers, one per row (its first column). */
  java.util.List<Long> longs(String sql) {
    java.util.List<Long> values = new java.util.ArrayList<>();
    for (Row row : pool.query(sql).execute().await()) {
      values.add(row.getLong(0));
    }
    return values;
  }

  /** The one number a query answers (a count, a cursor). */
  long count(String sql) {
    Row row = pool.query(sql).execute().await().iterator().next();
    return row.getLong(0);
  }

  /**
   * A status store of "another node" (its map never opened): changes go to PostgreSQL and the
   * change log, which is all the hotlist reads.
   */
  CardStatusStore offlineStore() {
    return new CardStatusStore(pool, new CardStatusMap());
  }

  /** What the node's map holds for a card ({@code GET /admin/v1/cards/{card}}): its {@code map} field. */
  String mapEntry(long card) throws IOException, InterruptedException {
    JsonObject answer = new JsonObject(admin("/admin/v1/cards/" + CardNumber.format(card)));
    Object map = answer.getValue("map");
    return map == null ? "(unknown)" : map.toString();
  }

  /** The sum of a metric's samples in the node's {@code /metrics}. */
  double metric(String name) throws IOException, InterruptedException {
    Matcher samples = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(metrics());
    double sum = 0;
    while (samples.find()) {
      sum += Double.parseDouble(samples.group(2));
    }
    return sum;
  }

  /** The node's whole {@code /metrics} scrape. */
  String metrics() throws IOException, InterruptedException {
    return admin("/metrics");
  }

  private String admin(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
        .header("Authorization", "Bearer " + config.admin().operatorToken()).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode());
    }
    return response.body();
  }

  @Override
  public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
