package istanbul.hes;

import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.StartupFailure;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The node's own checks of what its settings name, turned into {@link StartupFailure}s that say
 * which key to look at: whether the folders it writes are writable, and why a listener could not
 * be opened.
 */
final class StartupChecks {
  private static final String PROBE = ".hes-write-probe";

  private StartupChecks() {}

  /**
   * The data folder and the map file's folder must take a new file: a read-only disk found now is
   * one line, not a map that fails to open after the listeners are up. Blocks (file I/O).
   */
  static void requireWritableDataFolders(GatewayConfig config) {
    Map<Path, String> folders = new LinkedHashMap<>();
    folders.put(config.node().dataDir().toAbsolutePath(), "node.dataDir");
    Path mapFolder = config.cardStore().mapFile().toAbsolutePath().getParent();
    folders.putIfAbsent(mapFolder, "cardStore.mapFile");
    folders.forEach(StartupChecks::requireWritable);
  }

  private static void requireWritable(Path folder, String key) {
    Path probe = folder.resolve(PROBE);
    try {
      Files.createDirectories(folder);
      Files.deleteIfExists(probe);
      Files.createFile(probe);
      Files.delete(probe);
    } catch (IOException e) {
      throw StartupFailure.environment(key, "the folder " + folder + " is not writable: " + StartupFailure.fileProblem(e), e);
    }
  }

  /** A listener that could not be opened: the port or host key to look at, and why. */
  static Throwable listenFailure(String listener, String host, int port, Throwable failure) {
    if (failure instanceof StartupFailure) {
      return failure;
    }
    String cause = StartupFailure.causeText(failure);
    String lower = cause.toLowerCase(Locale.ROOT);
    String address = host + ":" + port;
    if (failure instanceof BindException || lower.contains("address already in use")) {
      return StartupFailure.environment(listener + ".port", "the " + listener + " listener cannot open " + address
          + ": the port is in use by another process", failure);
    }
    if (lower.contains("cannot assign requested address")) {
      return StartupFailure.configuration(listener + ".host", "the " + listener + " listener cannot open " + address
          + ": no network interface of this machine has that address", failure);
    }
    if (lower.contains("permission denied")) {
      return StartupFailure.environment(listener + ".port", "the " + listener + " listener cannot open " + address
          + ": permission denied (ports below 1024 need privileges)", failure);
    }
    return failure;
  }
}
