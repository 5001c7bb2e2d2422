package istanbul.hes.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

public record TapConfig(
    String host,
    int port,
    AnonymousPolicy anonymousPolicy,
    int maxTapBodyBytes,
    int maxBatchBodyBytes,
    int maxBatchTaps,
    Path clustersFile,
    int clustersReloadSeconds,
    ZoneId timeZone,
    ListenerLimits limits,
    ListenerTlsConfig tls) {

  static TapConfig from(ConfigSource source) {
    String zone = source.string("tap.timeZone");
    ZoneId timeZone;
    try {
      timeZone = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw source.invalid("tap.timeZone", "is not a time zone id: '" + zone + "'");
    }
    int maxTapBodyBytes = source.integer("tap.maxTapBodyBytes", 256, 1 << 20);
    return new TapConfig(
        source.string("tap.host"),
        source.integer("tap.port", 0, 65535),
        source.enumValue("tap.anonymousPolicy", AnonymousPolicy.class),
        maxTapBodyBytes,
        source.integer("tap.maxBatchBodyBytes", maxTapBodyBytes, 64 << 20),
        source.integer("tap.maxBatchTaps", 1, 100_000),
        Path.of(source.string("tap.clustersFile")),
        source.integer("tap.clustersReloadSeconds", 1, 3600),
        timeZone,
        ListenerLimits.from(source, "tap"),
        ListenerTlsConfig.withClientCertificates(source, "tap"));
  }
}
