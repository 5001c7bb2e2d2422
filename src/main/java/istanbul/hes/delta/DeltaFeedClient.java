package istanbul.hes.delta;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import istanbul.hes.http.OutboundTrust;
import istanbul.hes.citizen.domain.InvalidInputException;
import istanbul.hes.citizen.domain.PassportIdentity;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.config.MinistryHealthConfig;
import istanbul.hes.config.RiskDeltasConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one page of the ministry's risk delta feed. A page that does not follow the contract
 * (status, JSON, fields) fails the call; a delta whose identity cannot be read (neither a valid
 * TCKN nor {@code NAT:PASSPORT}) is kept, without identity, so it is recorded as rejected.
 */
public final class DeltaFeedClient implements AutoCloseable {
  static final String PATH = "/v1/risk-deltas";

  private final WebClient client;
  private final MinistryHealthConfig ministry;
  private final RiskDeltasConfig config;

  /** A page as parsed: its deltas and the feed's last sequence number. */
  public record Page(List<RiskDelta> deltas, long last) {}

  public DeltaFeedClient(Vertx vertx, MinistryHealthConfig ministry, RiskDeltasConfig config) {
    this.ministry = ministry;
    this.config = config;
    this.client = WebClient.create(vertx, OutboundTrust.apply(new WebClientOptions(), ministry.trustFile()).setUserAgent("hes-gateway").setKeepAlive(true)
        .setConnectTimeout(config.timeoutMillis()).setMetricsName("risk-deltas"));
  }

  public Future<Page> page(long after) {
    return client.getAbs(ministry.baseUrl() + PATH)
        .addQueryParam("after", Long.toString(after))
        .addQueryParam("limit", Integer.toString(config.pageSize()))
        .basicAuthentication(ministry.username(), ministry.password())
        .putHeader("Accept", "application/json")
        .timeout(config.timeoutMillis())
        .send()
        .expecting(HttpResponseExpectation.SC_OK.and(HttpResponseExpectation.JSON))
        .map(DeltaFeedClient::parse);
  }

  static Page parse(HttpResponse<Buffer> response) {
    JsonObject body = response.bodyAsJsonObject();
    if (body == null || !(body.getValue("deltas") instanceof JsonArray items) || !(body.getValue("last") instanceof Number last)) {
      throw new IllegalStateException("the delta page does not follow the contract (deltas, last)");
    }
    List<RiskDelta> deltas = new ArrayList<>(items.size());
    for (Object item : items) {
      if (!(item instanceof JsonObject delta) || !(delta.getValue("seq") instanceof Number seq) || seq.longValue() < 1
          || !(delta.getValue("status") instanceof String status) || !(status.equals("RISKY") || status.equals("CLEARED"))) {
        throw new IllegalStateException("a delta does not follow the contract (seq, status RISKY|CLEARED)");
      }
      deltas.add(new RiskDelta(seq.longValue(), identity(delta.getValue("identity")), status.equals("RISKY")));
    }
    return new Page(deltas, last.longValue());
  }

  /** A TCKN, or NAT:PASSPORT; null when it is neither (the delta is then rejected, by number). */
  static PersonIdentity identity(Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    try {
      int colon = text.indexOf(':');
      return colon < 0 ? Tckn.parse(text) : PassportIdentity.parse(text.substring(colon + 1), text.substring(0, colon));
    } catch (InvalidInputException unreadable) {
      return null;
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
