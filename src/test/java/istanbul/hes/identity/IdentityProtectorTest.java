package istanbul.hes.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class IdentityProtectorTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] key() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  private final byte[] encryptionKey = key();
  private final byte[] hashKey = key();
  private final IdentityProtector protector = new IdentityProtector(encryptionKey, hashKey);

  @Test
  void whatIsEncryptedDecryptsToTheSameText() {
    for (String value : new String[] {"10000000146", "Şükrü Öztürk-İğdeli", "", "+905551234567"}) {
      assertThat(protector.decrypt(protector.encrypt(value))).isEqualTo(value);
    }
  }

  @Test
  void theCiphertextDoesNotContainThePlaintext() {
    byte[] sealed = protector.encrypt("10000000146");
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("10000000146");
  }

  @Test
  void everyEncryptionUsesAFreshNonce() {
    byte[] first = protector.encrypt("10000000146");
    byte[] second = protector.encrypt("10000000146");
    assertThat(first).isNotEqualTo(second);
    assertThat(java.util.Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(java.util.Arrays.copyOfRange(second, 1, 13));
  }

  @Test
  void anyAlteredByteIsDetected() {
    byte[] sealed = protector.encrypt("10000000146");
    for (int i = 0; i < sealed.length; i++) {
      byte[] altered = sealed.clone();
      altered[i] ^= 0x01;
      assertThatThrownBy(() -> protector.decrypt(altered)).as("byte %d altered", i).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aTruncatedValueIsRejected() {
    byte[] sealed = protector.encrypt("10000000146");
    assertThatThrownBy(() -> protector.decrypt(java.util.Arrays.copyOf(sealed, 20))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> protector.decrypt(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anotherKeyCannotDecrypt() {
    byte[] sealed = protector.encrypt("10000000146");
    assertThatThrownBy(() -> new IdentityProtector(key(), hashKey).decrypt(sealed)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theHashIsStableAndThirtyTwoBytes() {
    byte[] first = protector.hash("identity", "TCKN:10000000146");
    assertThat(first).hasSize(32);
    assertThat(protector.hash("identity", "TCKN:10000000146")).isEqualTo(first);
    assertThat(new IdentityProtector(key(), hashKey).hash("identity", "TCKN:10000000146")).isEqualTo(first);
  }

  @Test
  void theHashDependsOnValuePurposeAndKey() {
    byte[] hash = protector.hash("identity", "TCKN:10000000146");
    assertThat(protector.hash("identity", "TCKN:10000000147")).isNotEqualTo(hash);
    assertThat(protector.hash("hes", "TCKN:10000000146")).isNotEqualTo(hash);
    assertThat(new IdentityProtector(encryptionKey, key()).hash("identity", "TCKN:10000000146")).isNotEqualTo(hash);
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> new IdentityProtector(new byte[16], hashKey)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdentityProtector(encryptionKey, new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aValueSealedUnderAnOtherKeyOpensAndNewOnesAreSealedUnderTheCurrentOne() {
    byte[] next = key();
    byte[] nextHash = key();
    IdentityProtector rotated = new IdentityProtector(new istanbul.hes.config.SecurityConfig(next, nextHash, 2, 2,
        java.util.Map.of(1, encryptionKey), java.util.Map.of(1, hashKey), 0, 500, 3_600));
    byte[] old = protector.encrypt("10000000146");
    assertThat(IdentityProtector.keyIdOf(old)).isEqualTo(1);
    assertThat(rotated.decrypt(old)).isEqualTo("10000000146");
    byte[] sealed = rotated.encrypt("10000000146");
    assertThat(IdentityProtector.keyIdOf(sealed)).isEqualTo(2);
    assertThatThrownBy(() -> protector.decrypt(sealed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id 2");
    // The key id is authenticated: a value relabelled to another known key does not open.
    byte[] relabelled = old.clone();
    relabelled[0] = 2;
    assertThatThrownBy(() -> rotated.decrypt(relabelled)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lookupsTryEveryKeyTheCurrentFirst() {
    byte[] nextHash = key();
    IdentityProtector rotated = new IdentityProtector(new istanbul.hes.config.SecurityConfig(key(), nextHash, 2, 2,
        java.util.Map.of(1, encryptionKey), java.util.Map.of(1, hashKey), 0, 500, 3_600));
    java.util.List<byte[]> hashes = rotated.hashes("identity", "TCKN:10000000146");
    assertThat(hashes).hasSize(2);
    assertThat(hashes.get(0)).isEqualTo(rotated.hash("identity", "TCKN:10000000146"));
    assertThat(hashes.get(1)).isEqualTo(protector.hash("identity", "TCKN:10000000146"));
    assertThat(rotated.matches(protector.hash("identity", "TCKN:10000000146"), "identity", "TCKN:10000000146")).isTrue();
    assertThat(rotated.matches(protector.hash("identity", "TCKN:10000000147"), "identity", "TCKN:10000000146")).isFalse();
    assertThat(rotated.rotatingHashes()).isTrue();
    assertThat(protector.rotatingHashes()).isFalse();
    assertThat(protector.otherHashes("identity", "x")).isEmpty();
  }
}
