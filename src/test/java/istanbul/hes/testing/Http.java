package istanbul.hes.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;

/** A blocking façade over the Vert.x web client for tests: one call, one response, bounded wait. */
public final class Http {
  private final WebClient client;

  Http(Vertx vertx) {
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1")
        .setConnectTimeout(5_000)
        .setIdleTimeout(30));
  }

  public HttpResponse<Buffer> send(HttpMethod method, int port, String path, Map<String, String> headers, Buffer body) {
    return Await.result(sendAsync(method, port, path, headers, body));
  }

  /** The same request without waiting: for requests that must be in flight together. */
  public Future<HttpResponse<Buffer>> sendAsync(HttpMethod method, int port, String path, Map<String, String> headers,
      Buffer body) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path).timeout(30_000);
    headers.forEach(request::putHeader);
    return body == null ? request.send() : request.sendBuffer(body);
  }

  public HttpResponse<Buffer> get(int port, String path) {
    return send(HttpMethod.GET, port, path, Map.of(), null);
  }
}
