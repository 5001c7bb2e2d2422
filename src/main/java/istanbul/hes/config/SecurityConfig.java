package istanbul.hes.config;

import java.util.Base64;

/** Raw key material; {@code identity.IdentityKeys} turns it into keys. Never printed. */
public record SecurityConfig(byte[] identityEncryptionKey, byte[] identityHashKey) {
  static SecurityConfig from(ConfigSource source) {
    byte[] encryption = decode(source, "security.identityEncryptionKey");
    if (encryption.length != 0 && encryption.length != 32) {
      throw source.invalid("security.identityEncryptionKey", "must be 32 bytes (AES-256) in base64, was " + encryption.length + " bytes");
    }
    byte[] hash = decode(source, "security.identityHashKey");
    if (hash.length != 0 && hash.length < 32) {
      throw source.invalid("security.identityHashKey", "must be at least 32 bytes in base64, was " + hash.length + " bytes");
    }
    return new SecurityConfig(encryption, hash);
  }

  private static byte[] decode(ConfigSource source, String key) {
    String value = source.string(key);
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw source.invalid(key, "is not valid base64");
    }
  }

  public boolean keysConfigured() {
    return identityEncryptionKey.length > 0 && identityHashKey.length > 0;
  }

  @Override
  public String toString() {
    return "SecurityConfig[keys " + (keysConfigured() ? "configured" : "not configured") + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecurityConfig that
        && java.util.Arrays.equals(identityEncryptionKey, that.identityEncryptionKey)
        && java.util.Arrays.equals(identityHashKey, that.identityHashKey);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(identityEncryptionKey) + java.util.Arrays.hashCode(identityHashKey);
  }
}
