package istanbul.hes.config;

import java.nio.file.Path;

/**
 * The map file and its size; rows per cursor read when it is rebuilt; how often the map is
 * compared with PostgreSQL on a sample of cards (0: never; operators may ask any time).
 */
public record CardStoreConfig(Path mapFile, long expectedCards, int rebuildFetchRows, int consistencyCheckSeconds,
    int consistencySampleCards) {
  static CardStoreConfig from(ConfigSource source, NodeConfig node) {
    String file = source.string("cardStore.mapFile");
    return new CardStoreConfig(
        file.isEmpty() ? node.dataDir().resolve("cards.map") : Path.of(file),
        source.longValue("cardStore.expectedCards", 1_000, 1_000_000_000L),
        source.integer("cardStore.rebuildFetchRows", 100, 1_000_000),
        source.integer("cardStore.consistencyCheckSeconds", 0, 86_400),
        source.integer("cardStore.consistencySampleCards", 1, 1_000_000));
  }
}
