package istanbul.hes.campaign;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import istanbul.hes.config.CampaignConfig;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.http.OutboundTrust;

/**
 * The SMS and push gateways, as notices use them: every notice carries its reference (campaign and
 * contact), and the gateways answer a repeated reference as the first one, without sending it
 * again; that is what lets a node that took over re-send what its predecessor had in flight.
 */
final class NoticeGateways implements AutoCloseable {
  /** How a gateway took a notice. */
  enum Outcome {
    /** Accepted (or accepted before, under the same reference). */
    DELIVERED,
    /** Refused for good (4xx: a malformed address, an app uninstalled): not tried again. */
    REFUSED,
    /** Not taken this time (5xx, timeout, no connection): tried again later. */
    UNAVAILABLE
  }

  /** The outcome and, when not delivered, what the gateway said (no personal data). */
  record Result(Outcome outcome, String error) {}

  private final WebClient sms;
  private final WebClient push;
  private final String smsUrl;
  private final String pushUrl;
  private final int smsTimeoutMillis;
  private final int pushTimeoutMillis;

  NoticeGateways(Vertx vertx, CitizenConfig citizen, CampaignConfig campaigns) {
    this.smsUrl = citizen.smsGatewayUrl();
    this.pushUrl = campaigns.pushGatewayUrl();
    this.smsTimeoutMillis = citizen.smsTimeoutMillis();
    this.pushTimeoutMillis = campaigns.pushTimeoutMillis();
    this.sms = client(vertx, citizen.smsTimeoutMillis(), "campaign-sms", OutboundTrust.apply(new WebClientOptions(), citizen.smsTrustFile()));
    this.push = client(vertx, campaigns.pushTimeoutMillis(), "campaign-push",
        OutboundTrust.apply(new WebClientOptions(), campaigns.pushTrustFile()));
  }

  private static WebClient client(Vertx vertx, int timeoutMillis, String metricsName, WebClientOptions options) {
    // A round sends its notices concurrently: more than HTTP/1.1's default of 5 connections.
    return WebClient.create(vertx, options
        .setUserAgent("hes-gateway")
        .setMetricsName(metricsName)
        .setConnectTimeout(timeoutMillis)
        .setKeepAlive(true)
        .setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(32));
  }

  boolean pushConfigured() {
    return !pushUrl.isEmpty();
  }

  Future<Result> sms(String phone, String text, String reference) {
    return send(sms, smsUrl, smsTimeoutMillis, new JsonObject().put("to", phone).put("text", text).put("reference", reference));
  }

  Future<Result> push(String token, String title, String body, String reference) {
    if (pushUrl.isEmpty()) {
      return Future.succeededFuture(new Result(Outcome.UNAVAILABLE, "campaigns.pushGatewayUrl is empty"));
    }
    return send(push, pushUrl, pushTimeoutMillis,
        new JsonObject().put("token", token).put("title", title).put("body", body).put("reference", reference));
  }

  private static Future<Result> send(WebClient client, String url, int timeoutMillis, JsonObject notice) {
    return client.postAbs(url)
        .putHeader("Accept", "application/json")
        .timeout(timeoutMillis)
        .sendJsonObject(notice)
        .map(response -> {
          int status = response.statusCode();
          if (status >= 200 && status < 300) {
            return new Result(Outcome.DELIVERED, null);
          }
          Outcome outcome = status >= 400 && status < 500 && status != 408 && status != 429 ? Outcome.REFUSED : Outcome.UNAVAILABLE;
          return new Result(outcome, "HTTP " + status);
        })
        .otherwise(error -> new Result(Outcome.UNAVAILABLE, error.getClass().getSimpleName()));
  }

  @Override
  public void close() {
    sms.close();
    push.close();
  }
}
