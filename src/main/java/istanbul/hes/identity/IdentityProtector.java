package istanbul.hes.identity;

import istanbul.hes.config.SecurityConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects personal data at rest (KVKK): AES-256-GCM for values that must be read back
 * (identity number, names, phone, HES code), HMAC-SHA256 for values that must be found
 * (identity, HES code). Ciphertext layout: key id (1 byte, 1..255) | 12-byte nonce |
 * ciphertext+tag, the key id also authenticated (AAD); a hash is stored beside the id of its key.
 *
 * <p>Several keys of each kind, by id: the current one seals and hashes new values, every known
 * one opens and finds (see {@link SecurityConfig}). The primitives are the JDK's (JCA); the format
 * already names its key, so a keyset library would add a second format to migrate to, not safety.
 * Thread-safe; each call builds its own Cipher/Mac (cheap next to I/O).
 */
public final class IdentityProtector {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;

  private final int encryptionKeyId;
  private final int hashKeyId;
  /** Indexed by key id (1..255); null where no key. */
  private final SecretKeySpec[] encryptionKeys = new SecretKeySpec[256];
  private final Map<Integer, SecretKeySpec> hashKeys;
  /** The hash key ids, the current one first, then the others ascending. */
  private final List<Integer> hashKeyOrder;
  private final SecureRandom random = new SecureRandom();

  public IdentityProtector(byte[] encryptionKey, byte[] hashKey) {
    this(new SecurityConfig(encryptionKey, hashKey));
  }

  public IdentityProtector(SecurityConfig keys) {
    encryptionKeyId = keys.encryptionKeyId();
    hashKeyId = keys.hashKeyId();
    encryptionKeys[encryptionKeyId] = aesKey(keys.identityEncryptionKey());
    keys.otherEncryptionKeys().forEach((id, material) -> encryptionKeys[id] = aesKey(material));
    Map<Integer, SecretKeySpec> hashes = new TreeMap<>();
    hashes.put(hashKeyId, hmacKey(keys.identityHashKey()));
    keys.otherHashKeys().forEach((id, material) -> hashes.put(id, hmacKey(material)));
    hashKeys = Collections.unmodifiableMap(hashes);
    List<Integer> order = new ArrayList<>();
    order.add(hashKeyId);
    hashes.keySet().stream().filter(id -> id != hashKeyId).forEach(order::add);
    hashKeyOrder = List.copyOf(order);
  }

  private static SecretKeySpec aesKey(byte[] material) {
    if (material.length != 32) {
      throw new IllegalArgumentException("the encryption key must be 32 bytes");
    }
    return new SecretKeySpec(material, "AES");
  }

  private static SecretKeySpec hmacKey(byte[] material) {
    if (material.length < 32) {
      throw new IllegalArgumentException("the hash key must be at least 32 bytes");
    }
    return new SecretKeySpec(material, "HmacSHA256");
  }

  /** The id new values are sealed under. */
  public int encryptionKeyId() {
    return encryptionKeyId;
  }

  /** The id new hashes are made under. */
  public int hashKeyId() {
    return hashKeyId;
  }

  /** Every hash key id this node knows, the current one first. */
  public List<Integer> hashKeyIds() {
    return hashKeyOrder;
  }

  /** Whether hashes under more than one key may be stored: lookups try them all, writes move a person to the current key. */
  public boolean rotatingHashes() {
    return hashKeyOrder.size() > 1;
  }

  /** Keyed hash of a normalized value under the current key; {@code purpose} separates the uses (identity, HES code). */
  public byte[] hash(String purpose, String normalizedValue) {
    return hash(hashKeyId, purpose, normalizedValue);
  }

  /** The same under key {@code keyId}, which must be known. */
  public byte[] hash(int keyId, String purpose, String normalizedValue) {
    SecretKeySpec key = hashKeys.get(keyId);
    if (key == null) {
      throw new IllegalArgumentException("no hash key with id " + keyId);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(purpose.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(normalizedValue.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** The value's hash under every known key, the current one first: what a lookup tries. */
  public List<byte[]> hashes(String purpose, String normalizedValue) {
    List<byte[]> all = new ArrayList<>(hashKeyOrder.size());
    for (int id : hashKeyOrder) {
      all.add(hash(id, purpose, normalizedValue));
    }
    return all;
  }

  /** The value's hashes under the known keys other than the current one (empty unless rotating). */
  public List<byte[]> otherHashes(String purpose, String normalizedValue) {
    List<byte[]> all = hashes(purpose, normalizedValue);
    return all.subList(1, all.size());
  }

  /** Whether {@code stored} is the value's hash under some known key (constant time per key). */
  public boolean matches(byte[] stored, String purpose, String normalizedValue) {
    boolean found = false;
    for (int id : hashKeyOrder) {
      found |= java.security.MessageDigest.isEqual(stored, hash(id, purpose, normalizedValue));
    }
    return found;
  }

  public byte[] encrypt(String plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte id = (byte) encryptionKeyId;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKeys[encryptionKeyId], new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(new byte[] {id});
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(id).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** The id of the key a stored value was sealed under (0: too short to be one). */
  public static int keyIdOf(byte[] stored) {
    return stored.length < OVERHEAD ? 0 : stored[0] & 0xff;
  }

  public String decrypt(byte[] stored) {
    int id = keyIdOf(stored);
    SecretKeySpec key = id == 0 ? null : encryptionKeys[id];
    if (key == null) {
      throw new IllegalArgumentException(id == 0 ? "not a sealed value" : "sealed with key id " + id + ", which this node does not know");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
      cipher.updateAAD(new byte[] {stored[0]});
      return new String(cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the value was altered or sealed with another key", e);
    }
  }
}
