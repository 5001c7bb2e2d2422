package istanbul.hes.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a shared server (PostgreSQL, Redis) that a test can cut: one node loses
 * its database while the server itself, and every other test's connections to it, carry on.
 * {@link #cut()} closes every proxied connection and stops listening (new connections are
 * refused, as by a server that is down); {@link #restore()} listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient();
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private int port;
  private NetServer server;

  private TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** A proxy on a free local port to {@code targetHost:targetPort}, listening. */
  public static TcpProxy start(String targetHost, int targetPort) {
    TcpProxy proxy = new TcpProxy(targetHost, targetPort);
    proxy.listen(0);
    return proxy;
  }

  /** A proxy to the host and port of {@code url} (e.g. postgresql://user@host:5432/db). */
  public static TcpProxy startFor(String url) {
    URI uri = URI.create(url);
    return start(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
  }

  /** {@code url} with its host and port replaced by this proxy's. */
  public String rewrite(String url) {
    URI uri = URI.create(url);
    String authority = (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@") + "127.0.0.1:" + port;
    return uri.getScheme() + "://" + authority + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  public int port() {
    return port;
  }

  private synchronized void listen(int requested) {
    NetServer listening = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(requested)
        .setReuseAddress(true));
    listening.connectHandler(this::accept);
    server = Await.result(listening.listen());
    port = server.actualPort();
  }

  private void accept(NetSocket downstream) {
    downstream.pause();
    sockets.add(downstream);
    downstream.closeHandler(closed -> sockets.remove(downstream));
    client.connect(targetPort, targetHost).onComplete(connected -> {
      if (connected.failed() || !sockets.contains(downstream)) {
        downstream.close();
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      NetSocket upstream = connected.result();
      sockets.add(upstream);
      upstream.closeHandler(closed -> {
        sockets.remove(upstream);
        downstream.close();
      });
      downstream.closeHandler(closed -> {
        sockets.remove(downstream);
        upstream.close();
      });
      upstream.handler(downstream::write);
      downstream.handler(upstream::write);
      downstream.resume();
    });
  }

  /** The outage: proxied connections are closed, new ones refused. */
  public synchronized void cut() {
    if (server != null) {
      Await.result(server.close());
      server = null;
    }
    for (NetSocket socket : List.copyOf(sockets)) {
      socket.close();
    }
    sockets.clear();
  }

  /** The end of the outage: the proxy listens again on its port. */
  public synchronized void restore() {
    if (server == null) {
      listen(port);
    }
  }

  @Override
  public void close() {
    cut();
    Await.result(vertx.close());
  }
}
