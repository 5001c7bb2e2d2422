package istanbul.hes.demo;

import istanbul.hes.config.SecurityConfig;
import istanbul.hes.identity.IdentityProtector;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link IdentityProtector}'s output, made fast enough to protect eight million holders: one
 * Cipher and one Mac per generator thread instead of one per value, and nonces from a
 * SecureRandom-drawn 64-bit prefix plus a counter (NIST SP 800-38D's deterministic construction:
 * unique, which is what GCM needs). {@link #verifiedAgainst} proves at start that the node's
 * {@link IdentityProtector} reads what this writes and hashes alike, so the formats cannot drift
 * apart unnoticed. Not thread-safe: one instance per thread.
 */
final class BulkProtector {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec encryptionKey;
  /** The current keys' ids: the sealed values' first byte (and their AAD), the hashes' key column. */
  private final byte keyId;
  private final byte[] aad;
  private final short hashKeyId;
  private final Cipher cipher;
  private final Mac mac;
  private final byte[] nonce = new byte[NONCE_BYTES];
  private final SecureRandom random = new SecureRandom();
  private int counter;

  BulkProtector(SecurityConfig keys) {
    try {
      encryptionKey = new SecretKeySpec(keys.identityEncryptionKey(), "AES");
      keyId = (byte) keys.encryptionKeyId();
      aad = new byte[] {keyId};
      hashKeyId = (short) keys.hashKeyId();
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keys.identityHashKey(), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM or HMAC-SHA256 is not available", e);
    }
    newNoncePrefix();
  }

  /** A protector whose output the node's own {@link IdentityProtector} has just accepted. */
  static BulkProtector verifiedAgainst(SecurityConfig keys) {
    BulkProtector bulk = new BulkProtector(keys);
    IdentityProtector node = new IdentityProtector(keys);
    String probe = "format probe ğüşİöç";
    if (!probe.equals(node.decrypt(bulk.encrypt(probe)))
        || !Arrays.equals(node.hash(ProtectedValues.IDENTITY_PURPOSE, probe), bulk.hash(ProtectedValues.IDENTITY_PURPOSE, probe))) {
      throw new IllegalStateException("the bulk protector's format differs from IdentityProtector's");
    }
    return bulk;
  }

  short hashKeyId() {
    return hashKeyId;
  }

  byte[] hash(String purpose, String normalizedValue) {
    mac.update(purpose.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return mac.doFinal(normalizedValue.getBytes(StandardCharsets.UTF_8));
  }

  /** key id (1 byte) | nonce (12) | ciphertext + tag, as {@link IdentityProtector#encrypt}. */
  byte[] encrypt(String plaintext) {
    if (++counter == 0) {
      newNoncePrefix();
    }
    nonce[8] = (byte) (counter >>> 24);
    nonce[9] = (byte) (counter >>> 16);
    nonce[10] = (byte) (counter >>> 8);
    nonce[11] = (byte) counter;
    byte[] plain = plaintext.getBytes(StandardCharsets.UTF_8);
    byte[] sealed = new byte[1 + NONCE_BYTES + plain.length + TAG_BITS / 8];
    sealed[0] = keyId;
    System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      cipher.doFinal(plain, 0, plain.length, sealed, 1 + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return sealed;
  }

  private void newNoncePrefix() {
    byte[] prefix = new byte[8];
    random.nextBytes(prefix);
    System.arraycopy(prefix, 0, nonce, 0, 8);
    counter = 0;
  }
}
