package istanbul.hes.config;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Raw key material of personal data; {@code identity.IdentityProtector} turns it into keys. Never
 * printed. The current keys seal and hash every new value, under their ids (1..255, stored with
 * every sealed value and every hash); the other keys are only read: keys being retired, or the
 * next ones while a rolling restart teaches every node them before any node writes with them.
 * {@code rotationRowsPerSecond} throttles the background job that moves records to the current
 * keys (0: the job is off on this node), {@code rotationBatchRows} is its transaction size.
 */
public record SecurityConfig(byte[] identityEncryptionKey, byte[] identityHashKey, int encryptionKeyId, int hashKeyId,
    Map<Integer, byte[]> otherEncryptionKeys, Map<Integer, byte[]> otherHashKeys, int rotationRowsPerSecond,
    int rotationBatchRows, int rotationVerifySeconds) {
  public static final int DEFAULT_KEY_ID = 1;

  public SecurityConfig {
    otherEncryptionKeys = Map.copyOf(otherEncryptionKeys);
    otherHashKeys = Map.copyOf(otherHashKeys);
  }

  /** Key id 1 for both, no other keys, the job's defaults: a node before any rotation. */
  public SecurityConfig(byte[] identityEncryptionKey, byte[] identityHashKey) {
    this(identityEncryptionKey, identityHashKey, DEFAULT_KEY_ID, DEFAULT_KEY_ID, Map.of(), Map.of(), 2_000, 500, 3_600);
  }

  static SecurityConfig from(ConfigSource source) {
    byte[] encryption = decode(source, "security.identityEncryptionKey", source.string("security.identityEncryptionKey"));
    checkEncryptionKey(source, "security.identityEncryptionKey", encryption);
    byte[] hash = decode(source, "security.identityHashKey", source.string("security.identityHashKey"));
    checkHashKey(source, "security.identityHashKey", hash);
    int encryptionKeyId = source.integer("security.identityEncryptionKeyId", 1, 255);
    int hashKeyId = source.integer("security.identityHashKeyId", 1, 255);
    Map<Integer, byte[]> otherEncryption = keyList(source, "security.otherEncryptionKeys", encryptionKeyId, true);
    Map<Integer, byte[]> otherHash = keyList(source, "security.otherHashKeys", hashKeyId, false);
    return new SecurityConfig(encryption, hash, encryptionKeyId, hashKeyId, otherEncryption, otherHash,
        source.integer("security.rotationRowsPerSecond", 0, 1_000_000),
        source.integer("security.rotationBatchRows", 1, 10_000),
        source.integer("security.rotationVerifySeconds", 60, 7 * 86_400));
  }

  /** "id:base64,id:base64": every id 1..255, none twice, not the current key's id. */
  private static Map<Integer, byte[]> keyList(ConfigSource source, String key, int currentId, boolean encryption) {
    String value = source.string(key).strip();
    Map<Integer, byte[]> keys = new TreeMap<>();
    if (value.isEmpty()) {
      return keys;
    }
    for (String entry : value.split(",")) {
      String[] parts = entry.strip().split(":", 2);
      int id;
      try {
        id = parts.length == 2 ? Integer.parseInt(parts[0].strip()) : -1;
      } catch (NumberFormatException e) {
        id = -1;
      }
      if (id < 1 || id > 255) {
        throw source.invalid(key, "must be a comma-separated list of id:base64 with ids 1..255 (an entry is not)");
      }
      if (id == currentId) {
        throw source.invalid(key, "names key id " + id + ", which is the current key's id: an id names one key");
      }
      if (keys.containsKey(id)) {
        throw source.invalid(key, "names key id " + id + " twice");
      }
      byte[] material = decode(source, key, parts[1].strip());
      if (encryption) {
        checkEncryptionKey(source, key + " (key id " + id + ")", material);
      } else {
        checkHashKey(source, key + " (key id " + id + ")", material);
      }
      keys.put(id, material);
    }
    return keys;
  }

  private static void checkEncryptionKey(ConfigSource source, String key, byte[] material) {
    if (material.length != 0 && material.length != 32) {
      throw source.invalid(key, "must be 32 bytes (AES-256) in base64, was " + material.length + " bytes");
    }
  }

  private static void checkHashKey(ConfigSource source, String key, byte[] material) {
    if (material.length != 0 && material.length < 32) {
      throw source.invalid(key, "must be at least 32 bytes in base64, was " + material.length + " bytes");
    }
  }

  private static byte[] decode(ConfigSource source, String key, String value) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw source.invalid(key, "is not valid base64");
    }
  }

  public boolean keysConfigured() {
    return identityEncryptionKey.length > 0 && identityHashKey.length > 0;
  }

  /** The same key ids and job settings with other current keys (development keys fill in empty ones). */
  public SecurityConfig withCurrentKeys(byte[] encryption, byte[] hash) {
    return new SecurityConfig(encryption, hash, encryptionKeyId, hashKeyId, otherEncryptionKeys, otherHashKeys,
        rotationRowsPerSecond, rotationBatchRows, rotationVerifySeconds);
  }

  @Override
  public String toString() {
    return "SecurityConfig[keys " + (keysConfigured() ? "configured" : "not configured") + ", encryption key id "
        + encryptionKeyId + " (other ids " + new TreeSet<>(otherEncryptionKeys.keySet()) + "), hash key id " + hashKeyId
        + " (other ids " + new TreeSet<>(otherHashKeys.keySet()) + ")]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecurityConfig that
        && Arrays.equals(identityEncryptionKey, that.identityEncryptionKey)
        && Arrays.equals(identityHashKey, that.identityHashKey)
        && encryptionKeyId == that.encryptionKeyId && hashKeyId == that.hashKeyId
        && sameKeys(otherEncryptionKeys, that.otherEncryptionKeys) && sameKeys(otherHashKeys, that.otherHashKeys)
        && rotationRowsPerSecond == that.rotationRowsPerSecond && rotationBatchRows == that.rotationBatchRows
        && rotationVerifySeconds == that.rotationVerifySeconds;
  }

  private static boolean sameKeys(Map<Integer, byte[]> a, Map<Integer, byte[]> b) {
    return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(identityEncryptionKey), Arrays.hashCode(identityHashKey), encryptionKeyId, hashKeyId,
        otherEncryptionKeys.keySet(), otherHashKeys.keySet());
  }
}
