package istanbul.hes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The three listeners against slow request heads (slowloris) and too many connections. */
class ListenerConnectionBoundsTest {
  private static final int HEADER_MILLIS = 1000;
  private static final int MAX_CONNECTIONS = 5;

  @RegisterExtension
  static final SharedNode shared = new SharedNode(settings());

  private static long okCard;

  /** A short header bound, a long idle timeout (so only the bound can close a trickling client), a small cap. */
  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String listener : List.of("tap", "citizen", "admin")) {
      settings.put(listener + ".idleTimeoutSeconds", "60");
      settings.put(listener + ".headerTimeoutMillis", Integer.toString(HEADER_MILLIS));
      settings.put(listener + ".maxConnections", Integer.toString(MAX_CONNECTIONS));
    }
    return settings;
  }

  @BeforeAll
  static void seed() {
    shared.node().awaitLoaded();
    okCard = shared.node().seeder().create(CardClass.OK);
  }

  private static TestNode node() {
    return shared.node();
  }

  @ParameterizedTest
  @EnumSource(Listener.class)
  void aClientThatResetsItsConnectionIsCountedNotLoggedAsAnError(Listener listener) throws Exception {
    double before = listener.meter(node(), "gateway_listener_connection_failures_total", null);
    int linesBefore = LogCapture.lines().size();
    try (Socket socket = new Socket("127.0.0.1", listener.port(node()))) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      // An answer means the node holds the connection; then it goes away with a reset, as wrk's do when it stops.
      assertThat(socket.getInputStream().read()).isNotNegative();
      socket.setSoLinger(true, 0);
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> listener.meter(node(), "gateway_listener_connection_failures_total", null) >= before + 1);
    assertThat(LogCapture.lines().subList(linesBefore, LogCapture.lines().size()))
        .noneMatch(line -> line.contains("Connection reset"));
  }

  @ParameterizedTest
  @EnumSource(Listener.class)
  void aSlowlorisIsClosedWithinTheHeaderBoundWhileTapsAreAnswered(Listener listener) throws Exception {
    double before = listener.meter(node(), "gateway_listener_connections_refused_total", "header_timeout");
    try (RawHttp slow = new RawHttp(listener.port(node())); Trickle trickle = new Trickle(slow,
        "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(600))) {
      long opened = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThat(tap().status()).isEqualTo(200);
      }
      assertThat(slow.readUntilClosed()).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - opened))
          .isBetween(Duration.ofMillis(HEADER_MILLIS - 100), Duration.ofMillis(HEADER_MILLIS + 2_000));
      assertThat(trickle.sent()).as("bytes sent before the close").isGreaterThanOrEqualTo(5);
    }
    await().atMost(Duration.ofSeconds(5))
        .until(() -> listener.meter(node(), "gateway_listener_connections_refused_total", "header_timeout") >= before + 1);
  }

  @Test
  void aKeepAliveConnectionMustSendItsNextHeadWithinTheBoundToo() throws Exception {
    try (RawHttp connection = new RawHttp(Listener.TAP.port(node()))) {
      connection.write(tapRequest("keep-alive"));
      assertThat(connection.readAnswer()).startsWith("HTTP/1.1 200");
      long answered = System.nanoTime();
      try (Trickle trickle = new Trickle(connection, "GET /v1/hotlist HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(600))) {
        assertThat(connection.readUntilClosed()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - answered))
            .isBetween(Duration.ofMillis(HEADER_MILLIS - 100), Duration.ofMillis(HEADER_MILLIS + 2_000));
      }
    }
  }

  @Test
  void aKeepAliveConnectionThatKeepsSendingRequestsIsServed() throws Exception {
    try (RawHttp connection = new RawHttp(Listener.TAP.port(node()))) {
      // A request every 400 ms (the client's pace, not a wait for the server): six answers over
      // more than twice the header bound, each head complete well within the bound of the last answer.
      for (int i = 0; i < 6; i++) {
        connection.write(tapRequest("keep-alive"));
        assertThat(connection.readAnswer()).startsWith("HTTP/1.1 200");
        await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> true);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Listener.class)
  void connectionsBeyondTheCapAreClosedAtOnceAndCounted(Listener listener) throws Exception {
    // Only the scrape's own connection, on the admin listener: earlier tests' connections are gone.
    int scrape = listener == Listener.ADMIN ? 1 : 0;
    await().atMost(Duration.ofSeconds(10))
        .until(() -> listener.meter(node(), "gateway_listener_connections", null) == scrape);
    double before = listener.meter(node(), "gateway_listener_connections_refused_total", "max_connections");
    String request = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    List<RawHttp> held = new ArrayList<>();
    try {
      // The cap's worth of connections, each answered (whatever the status: it was read and served).
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        RawHttp accepted = new RawHttp(listener.port(node()));
        held.add(accepted);
        accepted.write(request);
        assertThat(accepted.readAnswer()).startsWith("HTTP/1.1 ");
      }
      // Beyond it: closed without an answer.
      for (int i = 0; i < 3; i++) {
        try (RawHttp refused = new RawHttp(listener.port(node()))) {
          try {
            refused.write(request);
          } catch (IOException reset) {
            // Closed before the request could be written: refused too.
          }
          assertThat(refused.readUntilClosed()).as("answer beyond the cap").isEmpty();
        }
      }
    } finally {
      for (RawHttp connection : held) {
        connection.close();
      }
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> listener.meter(node(), "gateway_listener_connections_refused_total", "max_connections") == before + 3);
    RawHttp.Answer after = RawHttp.exchange(listener.port(node()), RawHttp.request("GET", "/health/live", Map.of(), null));
    assertThat(after.status()).as("served again below the cap").isBetween(200, 499);
  }

  private static RawHttp.Answer tap() {
    return RawHttp.exchange(Listener.TAP.port(node()), RawHttp.request("POST", "/v1/taps",
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + shared.environment().clusterToken()),
        TestNode.tapBody(okCard).encode()));
  }

  private static String tapRequest(String connection) {
    String body = TestNode.tapBody(okCard).encode();
    return "POST /v1/taps HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: " + connection + "\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + shared.environment().clusterToken() + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  /** Writes {@code text} one byte every 100 ms (the slow client's pace) until closed or done. */
  private static final class Trickle implements AutoCloseable {
    private final ScheduledExecutorService pacing = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();

    Trickle(RawHttp connection, String text) {
      pacing.scheduleAtFixedRate(() -> {
        int next = sent.get();
        if (next < text.length()) {
          try {
            connection.write(text.substring(next, next + 1));
            sent.incrementAndGet();
          } catch (IOException closed) {
            pacing.shutdown();
          }
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
    }

    int sent() {
      return sent.get();
    }

    @Override
    public void close() {
      pacing.shutdownNow();
    }
  }
}
