package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bash loadtest/slowloris.sh [--cards N] [--idle I] [--slow S] [--seconds T] [--rounds R]}:
 * the tap p50/p99 (wrk, 1 thread, 16 connections, keep-alive) with the listener otherwise quiet,
 * and while I idle connections (default 5,000: connect, send nothing) and S slowloris connections
 * (default 200: a request head at one byte per second, never finished) are held against the tap
 * listener, each reopened as soon as the node closes it (as an attacker would). After a warm-up,
 * each round runs both, quiet and attacked, the order rotating from round to round; every round is
 * printed, then the medians of each kind, the ratio of the p99s (target: at most 2), and how many
 * abuser connections the node closed within its header bound (tap.headerTimeoutMillis, plus 1 s
 * of slack) out of all it closed. Exits 1 when any tap failed (socket error or non-2xx answer).
 */
public final class SlowlorisBenchmark {
  private SlowlorisBenchmark() {}

  public static void main(String[] args) {
    BenchmarkMain.exit(() -> run(args));
  }

  private static boolean run(String[] args) throws Exception {
    long cards = 100_000;
    int idle = 5_000;
    int slow = 200;
    int seconds = 15;
    int rounds = 3;
    Path dataDir = Path.of("loadtest", "target", "slowloris-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--idle" -> idle = Integer.parseInt(args[i + 1].replace("_", ""));
        case "--slow" -> slow = Integer.parseInt(args[i + 1].replace("_", ""));
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException(
            "usage: slowloris.sh [--cards N] [--idle I] [--slow S] [--seconds T] [--rounds R] [--data-dir DIR]");
      }
    }
    Map<String, String> overrides = Map.of("tap.host", "127.0.0.1", "tap.port", "0", "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.port", "0", "points.port", "0", "node.id", "slowloris");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    GatewayNode node = GatewayNode.start(environment.config()).await();
    try {
      node.mapLoaded().await();
      long boundMillis = node.config().tap().limits().headerTimeoutMillis();
      System.out.printf("tap listener: header bound %d ms, idle timeout %d s, at most %d connections%n", boundMillis,
          node.config().tap().limits().idleTimeoutSeconds(), node.config().tap().limits().maxConnections());
      Wrk wrk = new Wrk(environment.validatorToken(), 1, 16, Files.createTempDirectory("slowloris"));
      SplittableRandom random = new SplittableRandom(5);
      List<String> bodies = new ArrayList<>();
      for (int b = 0; b < 4096; b++) {
        bodies.add("{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber(random.nextLong(cards)))
            + "\",\"validator\":\"SLOW-01\",\"at\":\"2026-11-21T08:00:00Z\"}");
      }
      Path script = wrk.script("taps", bodies, 1);
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", node.tapPort());
      String url = "http://127.0.0.1:" + node.tapPort() + "/v1/taps";

      Wrk.Result warm = wrk.run(url, script, seconds);
      long errors = warm.errors() + warm.non2xx();
      System.out.printf("warm-up (quiet, %d s, not measured): %.0f taps/s, p99 %d µs, errors %d%n", seconds, warm.requestsPerSecond(),
          warm.p99Micros(), errors);
      long closed = 0;
      long closedWithin = 0;
      long longest = 0;
      long outlived = 0;
      Rounds table = new Rounds("abusers held", "taps/s", "p50 µs", "p99 µs", "errors", "abusers closed", "within bound",
          "longest closed ms", "open past bound at end");
      table.printHeader();
      for (int round = 1; round <= rounds; round++) {
        // Both kinds each round, the order rotating: neither always runs on a node just rested.
        for (int k = 0; k < 2; k++) {
          boolean attackedTurn = (round + k) % 2 == 0;
          if (!attackedTurn) {
            Wrk.Result quiet = wrk.run(url, script, seconds);
            errors += quiet.errors() + quiet.non2xx();
            table.add(Integer.toString(round), "quiet", 0, quiet.requestsPerSecond(), quiet.p50Micros(), quiet.p99Micros(),
                quiet.errors() + quiet.non2xx(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            continue;
          }
          Abusers abusers = new Abusers(target, idle, slow, boundMillis + 1_000);
          Wrk.Result attacked;
          int held;
          try (abusers) {
            abusers.start();
            abusers.awaitHeld(idle + slow, TimeUnit.SECONDS.toNanos(60));
            held = abusers.held();
            attacked = wrk.run(url, script, seconds);
          }
          errors += attacked.errors() + attacked.non2xx();
          closed += abusers.closed();
          closedWithin += abusers.closedWithinBound();
          longest = Math.max(longest, abusers.longestMillis());
          outlived += abusers.outlivedAtEnd();
          table.add(Integer.toString(round), "attacked", held, attacked.requestsPerSecond(), attacked.p50Micros(), attacked.p99Micros(),
              attacked.errors() + attacked.non2xx(), abusers.closed(), abusers.closedWithinBound(), abusers.longestMillis(),
              abusers.outlivedAtEnd());
        }
      }
      table.printMedians();
      double quiet99 = table.median("quiet", "p99 µs");
      double attack99 = table.median("attacked", "p99 µs");
      System.out.printf("median p99 attacked / quiet: %.2f (target <= 2)%n", attack99 / Math.max(1, quiet99));
      System.out.printf("abuser connections closed by the node: %d, within the header bound + 1 s: %d; longest-lived %d ms;"
          + " still open past the bound when a round ended: %d%n", closed, closedWithin, longest, outlived);
      System.out.printf("tap errors (socket errors and non-2xx answers), warm-up and rounds: %d%n", errors);
      return errors == 0;
    } finally {
      node.stop().await();
      environment.close();
    }
  }

  /**
   * Idle and slowloris connections against one address, kept at their number by one thread: a
   * connection the server closes is counted (with how long it lived) and reopened.
   */
  static final class Abusers implements AutoCloseable {
    private static final byte[] HEAD = ("POST /v1/taps HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(4000))
        .getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress target;
    private final int idle;
    private final int slow;
    private final long boundNanos;
    private final Selector selector;
    private final Thread thread;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong closedWithin = new AtomicLong();
    private final AtomicLong longestNanos = new AtomicLong();
    private volatile boolean running = true;
    /** Abusers still open at the end that had lived longer than the bound (the node missed them). */
    private volatile int outlivedAtEnd;

    /** One abuser connection: slow ones write one more byte of HEAD every second. */
    private static final class Abuser {
      final boolean slow;
      final long opened = System.nanoTime();
      long nextWrite = opened;
      int sent;

      Abuser(boolean slow) {
        this.slow = slow;
      }
    }

    Abusers(InetSocketAddress target, int idle, int slow, long boundMillis) throws IOException {
      this.target = target;
      this.idle = idle;
      this.slow = slow;
      this.boundNanos = TimeUnit.MILLISECONDS.toNanos(boundMillis);
      this.selector = Selector.open();
      this.thread = new Thread(this::run, "abusers");
    }

    void start() {
      thread.start();
    }

    void awaitHeld(int count, long timeoutNanos) {
      long deadline = System.nanoTime() + timeoutNanos;
      while (held.get() < count && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }

    int held() {
      return held.get();
    }

    long closed() {
      return closed.get();
    }

    long closedWithinBound() {
      return closedWithin.get();
    }

    int outlivedAtEnd() {
      return outlivedAtEnd;
    }

    long longestMillis() {
      return TimeUnit.NANOSECONDS.toMillis(longestNanos.get());
    }

    private void open(boolean slowOne) {
      try {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.connect(target);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, new Abuser(slowOne));
        held.incrementAndGet();
      } catch (IOException e) {
        // Refused (over the listener's cap, or out of ports): tried again on the next pass.
      }
    }

    private void run() {
      ByteBuffer sink = ByteBuffer.allocate(4096);
      ByteBuffer one = ByteBuffer.allocate(1);
      int missingIdle = idle;
      int missingSlow = slow;
      while (true) {
        if (!running) {
          long now = System.nanoTime();
          outlivedAtEnd = (int) selector.keys().stream()
              .filter(key -> now - ((Abuser) key.attachment()).opened > boundNanos).count();
          return;
        }
        for (; missingSlow > 0 && running; missingSlow--) {
          open(true);
        }
        for (; missingIdle > 0 && running; missingIdle--) {
          open(false);
        }
        try {
          selector.select(50);
        } catch (IOException e) {
          return;
        }
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          SelectionKey key = ready.next();
          ready.remove();
          Abuser abuser = (Abuser) key.attachment();
          int read;
          try {
            sink.clear();
            read = ((SocketChannel) key.channel()).read(sink);
          } catch (IOException reset) {
            read = -1;
          }
          if (read < 0) {
            closedByServer(key, abuser);
            if (abuser.slow) {
              missingSlow++;
            } else {
              missingIdle++;
            }
          }
        }
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
          Abuser abuser = (Abuser) key.attachment();
          if (key.isValid() && abuser.slow && now >= abuser.nextWrite && abuser.sent < HEAD.length) {
            one.clear();
            one.put(HEAD[abuser.sent]).flip();
            try {
              ((SocketChannel) key.channel()).write(one);
              abuser.sent++;
              abuser.nextWrite = now + TimeUnit.SECONDS.toNanos(1);
            } catch (IOException reset) {
              // Seen as closed by the next read.
            }
          }
        }
      }
    }

    private void closedByServer(SelectionKey key, Abuser abuser) {
      long lived = System.nanoTime() - abuser.opened;
      key.cancel();
      try {
        key.channel().close();
      } catch (IOException ignored) {
        // Already closed by the server.
      }
      held.decrementAndGet();
      closed.incrementAndGet();
      if (lived <= boundNanos) {
        closedWithin.incrementAndGet();
      }
      longestNanos.accumulateAndGet(lived, Math::max);
    }

    @Override
    public void close() throws Exception {
      running = false;
      selector.wakeup();
      thread.join(10_000);
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
      selector.close();
    }
  }
}
