package istanbul.hes.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import istanbul.hes.config.ListenerLimits;
import istanbul.hes.config.ListenerTlsConfig;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.logging.ThrottledLog;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * One listener's defence against idle, slow and too many connections, and its answer to what the
 * HTTP decoder refuses. Shared by every server instance of the listener (the tap listener has
 * one per event loop), so the count and the cap are the listener's.
 *
 * <ul>
 *   <li>Idle connections: Vert.x's idle timeout.
 *   <li>Slow headers (slowloris): Vert.x has no bound on the time to receive a request's headers,
 *       and the idle timeout never fires for a client that sends a byte now and then. A small
 *       Netty handler, placed just before Vert.x's own, sees each decoded request head and each
 *       answer's last part: a connection that has no request in progress must deliver the next
 *       complete head within the bound from its opening or from its last answer, or it is closed.
 *       Its check is one scheduled task per connection, re-armed lazily, so a request costs two
 *       field updates and one clock read, and no allocation.
 *   <li>Too many connections: counted when opened and closed; beyond the cap a new connection is
 *       closed at once, before it is read.
 *   <li>Requests the decoder refuses (request line or headers too long, malformed): a problem+json
 *       answer instead of Vert.x's empty one, then the connection is closed (the stream cannot be
 *       trusted to be at a request boundary).
 * </ul>
 */
public final class ListenerGuard {
  /** The handler's name in the channel pipeline; Vert.x's own HTTP handler is named "handler". */
  private static final String VERTX_HANDLER = "handler";
  private static final String NAME = "hesHeaderDeadline";

  private final ListenerLimits limits;
  private final long headerTimeoutNanos;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter refusedOverCap;
  private final Counter closedSlowHeaders;
  private final Counter connectionFailures;

  private final ListenerTls tls;
  private final String listener;
  private final ThrottledLog failureLog = new ThrottledLog(LoggerFactory.getLogger(ListenerGuard.class), ThrottledLog.DEFAULT_INTERVAL);

  public ListenerGuard(String listener, ListenerLimits limits, ListenerTlsConfig tls, MeterRegistry registry) {
    this.limits = limits;
    this.listener = listener;
    this.tls = new ListenerTls(listener, tls, limits.headerTimeoutMillis());
    this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.headerTimeoutMillis());
    Gauge.builder("gateway_listener_connections", open, AtomicInteger::get)
        .description("Open connections of a listener")
        .tag("listener", listener)
        .register(registry);
    this.refusedOverCap = refused(registry, listener, "max_connections");
    this.closedSlowHeaders = refused(registry, listener, "header_timeout");
    this.connectionFailures = Counter.builder("gateway_listener_connection_failures_total")
        .description("Connections of a listener that failed from the client's side (reset, broken pipe) after they opened")
        .tag("listener", listener)
        .register(registry);
  }

  private static Counter refused(MeterRegistry registry, String listener, String reason) {
    return Counter.builder("gateway_listener_connections_refused_total")
        .description("Connections a listener closed: over its cap, or too slow to send a request's headers")
        .tag("listener", listener)
        .tag("reason", reason)
        .register(registry);
  }

  /** Reads and checks the listener's TLS files (if any); before {@link #apply}. */
  public Future<Void> prepare(Vertx vertx) {
    return tls.load(vertx);
  }

  /**
   * The listener's options with its TLS (see {@link ListenerTls}), its idle timeout, and without cleartext HTTP/2: to tell an HTTP/2
   * preface from HTTP/1.x, Vert.x waits for a connection's first bytes before it sets the
   * connection up, so a connection that never sends anything would be neither counted against
   * the cap nor given a header deadline. No client of these listeners speaks h2c.
   */
  public HttpServerOptions apply(HttpServerOptions options) {
    return tls.apply(options).setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS).setHttp2ClearTextEnabled(false);
  }

  /** Installs the connection and invalid-request handlers on the listener's server. */
  public HttpServer guard(HttpServer server) {
    return tls.serve(server).connectionHandler(this::connected).invalidRequestHandler(ListenerGuard::invalid);
  }

  private void connected(HttpConnection connection) {
    // A client that goes away mid-connection (a validator rebooting, a load generator stopping)
    // is counted, not logged: Vert.x would log each reset as an ERROR with a stack trace. What is
    // not the network's doing is still said, in one line (at most one per interval).
    connection.exceptionHandler(failure -> {
      connectionFailures.increment();
      if (!(failure instanceof IOException)) {
        failureLog.warn("connection", "{} listener: a connection failed: {}", listener, DependencyFailures.summary(failure));
      }
    });
    // Vert.x has no public access to a connection's channel; its connections are ConnectionBases.
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refusedOverCap.increment();
      channel.close();
      return;
    }
    channel.closeFuture().addListener(closed -> open.decrementAndGet());
    // HTTP/1.x only: an HTTP/2 connection has no "handler" in front of which heads can be seen.
    if (channel.pipeline().get(VERTX_HANDLER) != null && channel.pipeline().get(NAME) == null) {
      channel.pipeline().addBefore(VERTX_HANDLER, NAME, new HeaderDeadline());
    }
  }

  private static void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem = cause instanceof TooLongHttpLineException ? Problem.uriTooLong()
        : cause instanceof TooLongHttpHeaderException ? Problem.headersTooLarge()
        : Problem.badRequest();
    request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    Problems.send(request.response(), problem);
    request.connection().close();
  }

  /** Per connection: since when it has been waiting for a request head, and the check of that. */
  private final class HeaderDeadline extends ChannelDuplexHandler implements Runnable {
    private ChannelHandlerContext context;
    /** Requests whose head has been read and whose answer is not yet fully written. */
    private int inProgress;
    private long waitingSince;
    private ScheduledFuture<?> check;

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      this.context = context;
      waitingSince = System.nanoTime();
      check = context.executor().schedule(this, headerTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
      if (check != null) {
        check.cancel(false);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      if (message instanceof HttpRequest) {
        inProgress++;
      }
      context.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
      if (message instanceof LastHttpContent && inProgress > 0
          && !(message instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)
          && --inProgress == 0) {
        waitingSince = System.nanoTime();
      }
      context.write(message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      check.cancel(false);
      context.fireChannelInactive();
    }

    /** Runs on the connection's event loop. */
    @Override
    public void run() {
      if (!context.channel().isActive()) {
        return;
      }
      long next = headerTimeoutNanos;
      if (inProgress == 0) {
        long waited = System.nanoTime() - waitingSince;
        if (waited >= headerTimeoutNanos) {
          closedSlowHeaders.increment();
          context.close();
          return;
        }
        next = headerTimeoutNanos - waited;
      }
      check = context.executor().schedule(this, next, TimeUnit.NANOSECONDS);
    }
  }
}
