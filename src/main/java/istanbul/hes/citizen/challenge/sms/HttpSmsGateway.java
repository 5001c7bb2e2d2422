package istanbul.hes.citizen.challenge.sms;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import istanbul.hes.http.OutboundTrust;
import java.nio.file.Path;
import java.util.Optional;
import istanbul.hes.citizen.domain.PhoneNumber;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS provider over HTTP ({@code citizen.smsGatewayUrl}): {@code POST <url>
 * {"to":"+905321234567","text":"…"}}, any 2xx is accepted. One attempt with a deadline, never
 * retried (a retry after a lost answer would send a second SMS; the citizen can ask for a new
 * challenge instead).
 */
public final class HttpSmsGateway implements SmsGateway, AutoCloseable {
  public static final int DEFAULT_TIMEOUT_MILLIS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(HttpSmsGateway.class);

  private final String url;
  private final int timeoutMillis;
  private final WebClient client;

  public HttpSmsGateway(Vertx vertx, String url) {
    this(vertx, url, DEFAULT_TIMEOUT_MILLIS);
  }

  /** @param url absolute http(s) URL the messages are posted to */
  public HttpSmsGateway(Vertx vertx, String url, int timeoutMillis) {
    this(vertx, url, timeoutMillis, Optional.empty());
  }

  /** @param trustFile PEM CAs the gateway's certificate is checked against; empty: the JVM's default trust store */
  public HttpSmsGateway(Vertx vertx, String url, int timeoutMillis, Optional<Path> trustFile) {
    if (!Objects.requireNonNull(url, "url").startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("the SMS gateway URL must be http(s)");
    }
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("the timeout must be positive");
    }
    this.url = url;
    this.timeoutMillis = timeoutMillis;
    this.client = WebClient.create(vertx, OutboundTrust.apply(new WebClientOptions(), trustFile)
        .setUserAgent("hes-gateway")
        .setMetricsName("sms-gateway")
        .setConnectTimeout(timeoutMillis)
        .setKeepAlive(true)
        .setIdleTimeout(60));
  }

  @Override
  public Future<Void> send(PhoneNumber to, String text) {
    JsonObject body = new JsonObject().put("to", to.value()).put("text", text);
    return client.postAbs(url)
        .putHeader("Accept", "application/json")
        .timeout(timeoutMillis)
        .sendJsonObject(body)
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .<Void>mapEmpty()
        .recover(error -> {
          // The phone masked, the text never: it carries the code.
          LOG.warn("SMS to {} not accepted: {}", to.masked(), error.getMessage());
          return Future.failedFuture(new SmsDeliveryException("the SMS gateway did not accept the message: " + error.getMessage(), error));
        });
  }

  @Override
  public void close() {
    client.close();
  }
}
