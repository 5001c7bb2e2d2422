package istanbul.hes.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects personal data at rest (KVKK): AES-256-GCM for values that must be read back
 * (identity number, names, phone, HES code), HMAC-SHA256 for values that must be found
 * (identity, HES code). Ciphertext layout: key id (1 byte) | 12-byte nonce | ciphertext+tag, so
 * keys can be rotated. Thread-safe; each call builds its own Cipher/Mac (cheap next to I/O).
 */
public final class IdentityProtector {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte KEY_ID = 1;

  private final SecretKeySpec encryptionKey;
  private final SecretKeySpec hashKey;
  private final SecureRandom random = new SecureRandom();

  public IdentityProtector(byte[] encryptionKey, byte[] hashKey) {
    if (encryptionKey.length != 32) {
      throw new IllegalArgumentException("the encryption key must be 32 bytes");
    }
    if (hashKey.length < 32) {
      throw new IllegalArgumentException("the hash key must be at least 32 bytes");
    }
    this.encryptionKey = new SecretKeySpec(encryptionKey, "AES");
    this.hashKey = new SecretKeySpec(hashKey, "HmacSHA256");
  }

  /** Keyed hash of a normalized value; {@code purpose} separates the uses (identity, HES code). */
  public byte[] hash(String purpose, String normalizedValue) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(hashKey);
      mac.update(purpose.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(normalizedValue.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  public byte[] encrypt(String plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(new byte[] {KEY_ID});
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(KEY_ID).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  public String decrypt(byte[] stored) {
    if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != KEY_ID) {
      throw new IllegalArgumentException("not a value sealed with the current key");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
      cipher.updateAAD(new byte[] {stored[0]});
      return new String(cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the value was altered or sealed with another key", e);
    }
  }
}
