package istanbul.hes.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys for a node on the embedded database (demo, development): generated once and kept under
 * the data folder beside the data they protect. A node on an external database must be given
 * its keys; it never generates them.
 */
public final class DevelopmentKeys {
  private static final Logger LOG = LoggerFactory.getLogger(DevelopmentKeys.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private DevelopmentKeys() {}

  /** Blocks (file I/O). */
  public static GatewayConfig ensure(GatewayConfig config) {
    if (config.security().keysConfigured()) {
      return config;
    }
    if (!config.database().embedded()) {
      throw new ConfigException("configuration keys security.identityEncryptionKey and security.identityHashKey "
          + "are required with an external database (HES_SECURITY_IDENTITY_ENCRYPTION_KEY, HES_SECURITY_IDENTITY_HASH_KEY)");
    }
    Path file = config.node().dataDir().resolve("secrets").resolve("identity-keys.json");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        SecureRandom random = new SecureRandom();
        byte[] encryption = new byte[32];
        byte[] hash = new byte[32];
        random.nextBytes(encryption);
        random.nextBytes(hash);
        ObjectNode keys = JSON.createObjectNode()
            .put("identityEncryptionKey", Base64.getEncoder().encodeToString(encryption))
            .put("identityHashKey", Base64.getEncoder().encodeToString(hash));
        Files.write(file, JSON.writeValueAsBytes(keys));
        SecretFiles.restrictToOwner(file);
        LOG.warn("generated development identity keys in {} (embedded database only)", file);
      }
      ObjectNode keys = (ObjectNode) JSON.readTree(file.toFile());
      return config.withSecurity(config.security().withCurrentKeys(
          Base64.getDecoder().decode(keys.get("identityEncryptionKey").asText()),
          Base64.getDecoder().decode(keys.get("identityHashKey").asText())));
    } catch (IOException e) {
      throw new UncheckedIOException("development keys in " + file + " are unreadable", e);
    }
  }

}
