package istanbul.hes.tap;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.StartupFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens and client-certificate fingerprints of the validator clusters, read from a YAML
 * file and re-read when it changes, so a token or a certificate is revoked by editing the file. A file that turns unreadable or invalid keeps the last
 * good set in force (an operator's typo must not stop every gate) and is reported. Tokens are
 * never logged; cluster ids are.
 */
public final class ValidatorClusters {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorClusters.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final int MIN_TOKEN_LENGTH = 24;
  private static final String BEARER = "Bearer ";

  private final Path file;
  private static final Pattern HEX_FINGERPRINT = Pattern.compile("(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}");

  /** Both lookups of one version of the file, swapped together. */
  record Credentials(Map<String, String> byHeader, Map<String, String> byFingerprint) {}

  /**
   * Full header value ("Bearer <token>") to cluster id, and client certificate public-key
   * fingerprint (SHA-256, base64) to cluster id: one hash lookup per tap.
   */
  private volatile Credentials credentials = new Credentials(Map.of(), Map.of());
  private volatile long loadedModified = -1;
  private volatile long loadedSize = -1;
  private volatile boolean lastReloadFailed;

  private ValidatorClusters(Path file) {
    this.file = file;
  }

  /** Reads the file once at start; a missing or invalid file is a configuration error. */
  public static Future<ValidatorClusters> load(Vertx vertx, Path file) {
    ValidatorClusters clusters = new ValidatorClusters(file);
    return clusters.reload(vertx).recover(failure -> Future.failedFuture(
        StartupFailure.configuration("tap.clustersFile", file + " " + whyUnusable(failure), failure))).map(clusters);
  }

  private static String whyUnusable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io) {
        return "cannot be read: " + StartupFailure.fileProblem(io);
      }
      if (cause instanceof ConfigException) {
        return "is invalid: " + cause.getMessage();
      }
    }
    return "cannot be read: " + StartupFailure.causeText(failure);
  }

  /** Polls the file and swaps the token set when it changed. */
  public long watch(Vertx vertx, long periodMillis) {
    return vertx.setPeriodic(periodMillis, id -> vertx.fileSystem().props(file.toString())
        .onSuccess(props -> {
          if (props.lastModifiedTime() != loadedModified || props.size() != loadedSize) {
            reload(vertx)
                .onSuccess(ignored -> LOG.info("validator cluster credentials reloaded from {}: {} clusters", file, clusterCount()))
                .onFailure(failure -> LOG.error("validator cluster file {} is invalid, keeping the previous tokens: {}", file, failure.getMessage()));
          }
        })
        .onFailure(failure -> {
          if (!lastReloadFailed) {
            LOG.error("validator cluster file {} cannot be read, keeping the previous tokens: {}", file, failure.getMessage());
          }
          lastReloadFailed = true;
        }));
  }

  /** The cluster id for an Authorization header value, or null. */
  public String clusterFor(String authorization) {
    if (authorization == null) {
      return null;
    }
    Map<String, String> clusterByHeader = credentials.byHeader();
    String cluster = clusterByHeader.get(authorization);
    if (cluster != null) {
      return cluster;
    }
    // The scheme is case-insensitive (RFC 7235); the exact-case lookup above is the fast path.
    if (authorization.length() > BEARER.length() && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return clusterByHeader.get(BEARER + authorization.substring(BEARER.length()).trim());
    }
    return null;
  }

  /** The cluster id of a client certificate's public-key fingerprint (SHA-256, base64), or null. */
  public String clusterForCertificate(String fingerprint) {
    return fingerprint == null ? null : credentials.byFingerprint().get(fingerprint);
  }

  public int clusterCount() {
    Credentials current = credentials;
    return (int) java.util.stream.Stream.concat(current.byHeader().values().stream(), current.byFingerprint().values().stream()).distinct().count();
  }

  /**
   * Reads and swaps the token set. The file's stamp is remembered even when the content is
   * invalid, so a broken file is reported once, not on every poll, until it changes again.
   */
  private Future<Void> reload(Vertx vertx) {
    return vertx.fileSystem().props(file.toString())
        .compose(props -> {
          loadedModified = props.lastModifiedTime();
          loadedSize = props.size();
          return vertx.fileSystem().readFile(file.toString());
        })
        .map(content -> {
          credentials = parseCredentials(content);
          lastReloadFailed = false;
          return (Void) null;
        })
        .onFailure(failure -> lastReloadFailed = true);
  }

  static Map<String, String> parse(Buffer content) {
    return parseCredentials(content).byHeader();
  }

  static Credentials parseCredentials(Buffer content) {
    JsonNode root;
    try {
      root = YAML.readTree(content.getBytes());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException("not valid YAML" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new ConfigException("not valid YAML");
    }
    JsonNode clusters = root == null ? null : root.get("clusters");
    if (clusters == null || !clusters.isArray()) {
      throw new ConfigException("must hold a 'clusters' list");
    }
    Map<String, String> byHeader = new HashMap<>();
    Map<String, String> byFingerprint = new HashMap<>();
    Map<String, Boolean> ids = new HashMap<>();
    int index = 0;
    for (JsonNode cluster : clusters) {
      String id = cluster.path("id").asText("");
      String token = cluster.path("token").asText("");
      if (!CLUSTER_ID.matcher(id).matches()) {
        throw new ConfigException("clusters[" + index + "].id must be 1 to 64 characters A-Z, a-z, 0-9, '.', '_', ':' or '-'");
      }
      JsonNode certificates = cluster.path("certificates");
      if (!certificates.isMissingNode() && !certificates.isArray()) {
        throw new ConfigException("cluster " + id + ": certificates must be a list of public-key fingerprints");
      }
      boolean tokenless = token.isEmpty() && certificates.size() > 0;
      if (!tokenless && (token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127))) {
        throw new ConfigException("cluster " + id + ": token must be at least " + MIN_TOKEN_LENGTH + " printable ASCII characters"
            + " (or absent, when the cluster lists certificates)");
      }
      if (ids.put(id, Boolean.TRUE) != null) {
        throw new ConfigException("cluster " + id + " appears twice");
      }
      if (!tokenless && byHeader.put(BEARER + token, id) != null) {
        throw new ConfigException("cluster " + id + " reuses another cluster's token");
      }
      int certificate = 0;
      for (JsonNode fingerprint : certificates) {
        String normalized = fingerprint(fingerprint.asText(""));
        if (normalized == null) {
          throw new ConfigException("cluster " + id + ": certificates[" + certificate + "] must be the SHA-256 fingerprint of a "
              + "certificate's public key, base64 (44 characters) or hex (64 digits, colons allowed)");
        }
        if (byFingerprint.put(normalized, id) != null) {
          throw new ConfigException("cluster " + id + ": certificates[" + certificate + "] is listed twice");
        }
        certificate++;
      }
      index++;
    }
    return new Credentials(Map.copyOf(byHeader), Map.copyOf(byFingerprint));
  }

  /** A fingerprint as listed (base64, or hex with or without colons) in base64, or null. */
  static String fingerprint(String listed) {
    String text = listed.strip();
    if (HEX_FINGERPRINT.matcher(text).matches()) {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(text.replace(":", "")));
    }
    try {
      byte[] digest = Base64.getDecoder().decode(text);
      return digest.length == 32 ? Base64.getEncoder().encodeToString(digest) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

}
