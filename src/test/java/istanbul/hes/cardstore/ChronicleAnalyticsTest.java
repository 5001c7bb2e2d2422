package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.openhft.chronicle.core.analytics.AnalyticsFacade;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chronicle's usage analytics would send data to an outside host: they must be absent and silent. */
class ChronicleAnalyticsTest {
  @Test
  void theAnalyticsModuleIsNotOnTheClassPath() {
    assertThatThrownBy(() -> Class.forName("net.openhft.chronicle.analytics.Analytics"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void chronicleReportsAnalyticsAsDisabled() {
    assertThat(AnalyticsFacade.isEnabled()).isFalse();
  }

  @Test
  void creatingFillingAndReopeningAMapConnectsNowhere(@TempDir Path directory) throws Exception {
    RecordingProxySelector recorder = new RecordingProxySelector();
    ProxySelector previous = ProxySelector.getDefault();
    ProxySelector.setDefault(recorder);
    try {
      assertThat(recorder.seesSocketConnections()).as("the recorder must see plain socket connections").isTrue();
      recorder.attempts.clear();

      Path file = directory.resolve("cards.map");
      try (CardMapFile mapFile = CardMapFile.lock(file, 20_000)) {
        CardStatusMap map = new CardStatusMap();
        map.install(mapFile.createFresh());
        for (long card = 0; card < 5_000; card++) {
          map.applyIfNewer(4_000_000_000_000_000L + card, CardStatus.of(card + 1, true, false, true, 21_000, card % 3 == 0));
        }
        map.detach().close();
        try (ChronicleMap<CardKey, CardStatus> reopened = mapFile.openExisting()) {
          assertThat(reopened.longSize()).isEqualTo(5_000);
        }
        try (ChronicleMap<CardKey, CardStatus> recovered = mapFile.recoverExisting()) {
          assertThat(recovered.longSize()).isEqualTo(5_000);
        }
      }

      assertThat(recorder.nonLoopback()).isEmpty();
    } finally {
      ProxySelector.setDefault(previous);
    }
  }

  /** Every java.net connection attempt (URLConnection, HttpClient, Socket) asks the default selector first. */
  private static final class RecordingProxySelector extends ProxySelector {
    final List<URI> attempts = new CopyOnWriteArrayList<>();

    @Override
    public List<Proxy> select(URI uri) {
      attempts.add(uri);
      return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
      attempts.add(uri);
    }

    List<URI> nonLoopback() {
      return attempts.stream().filter(uri -> !loopback(uri.getHost())).toList();
    }

    private static boolean loopback(String host) {
      try {
        return host != null && InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }

    boolean seesSocketConnections() throws IOException {
      try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          Socket client = new Socket()) {
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5_000);
      }
      return attempts.stream().anyMatch(uri -> "socket".equals(uri.getScheme()));
    }
  }
}
