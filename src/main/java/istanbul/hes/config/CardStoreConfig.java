package istanbul.hes.config;

import java.nio.file.Path;

public record CardStoreConfig(Path mapFile, long expectedCards, int rebuildFetchRows) {
  static CardStoreConfig from(ConfigSource source, NodeConfig node) {
    String file = source.string("cardStore.mapFile");
    return new CardStoreConfig(
        file.isEmpty() ? node.dataDir().resolve("cards.map") : Path.of(file),
        source.longValue("cardStore.expectedCards", 1_000, 1_000_000_000L),
        source.integer("cardStore.rebuildFetchRows", 100, 1_000_000));
  }
}
