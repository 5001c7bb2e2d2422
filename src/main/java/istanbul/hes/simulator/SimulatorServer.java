package istanbul.hes.simulator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/** A simulator's HTTP server: listen with its router, close on undeploy, report the port it got. */
public abstract class SimulatorServer extends VerticleBase {
  private volatile HttpServer server;

  protected Future<HttpServer> listen(HttpServerOptions options, Router router) {
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(listening -> server = listening);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
