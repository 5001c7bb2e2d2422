package istanbul.hes.citizen.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.identity.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Stands in for the portal's identity provider in the demo and the tests: a key pair generated once
 * under a secrets folder (never in the repository), and tokens minted with it. A production node
 * is configured with the real provider's public key and has no private key.
 *
 * <p>RS256 (RSA 2048), the default of common identity providers: the gateway verifies an RS256
 * signature in about 0.05 ms, an ES256 one in about 1.5 ms on this JVM (measured under the
 * citizen load test, where ES256 verification was more than half the node's CPU). ES256 keys
 * remain available for tests of that algorithm.
 */
public final class DevelopmentTokenIssuer {
  public static final String ALGORITHM = "RS256";
  private static final String PRIVATE_FILE = "citizen-token-rs256-private.pem";
  public static final String PUBLIC_FILE = "citizen-token-rs256-public.pem";
  /** The staff identity provider's stand-in (the points' agents): a key pair of its own. */
  private static final String STAFF_PRIVATE_FILE = "staff-token-rs256-private.pem";
  public static final String STAFF_PUBLIC_FILE = "staff-token-rs256-public.pem";

  private final String algorithm;
  private final String privateKeyPem;
  private final String publicKeyPem;

  private DevelopmentTokenIssuer(String algorithm, String privateKeyPem, String publicKeyPem) {
    this.algorithm = algorithm;
    this.privateKeyPem = privateKeyPem;
    this.publicKeyPem = publicKeyPem;
  }

  /** Reads the citizens' key pair from {@code secrets}, generating it on first use. Blocks (file I/O). */
  public static DevelopmentTokenIssuer ensure(Path secrets) {
    return ensure(secrets, PRIVATE_FILE, PUBLIC_FILE);
  }

  /** Reads the staff provider's key pair from {@code secrets}, generating it on first use. Blocks (file I/O). */
  public static DevelopmentTokenIssuer ensureStaff(Path secrets) {
    return ensure(secrets, STAFF_PRIVATE_FILE, STAFF_PUBLIC_FILE);
  }

  /** The staff provider's key pair in {@code secrets} if both files are there; never creates one. Blocks (file I/O). */
  public static Optional<DevelopmentTokenIssuer> existingStaff(Path secrets) {
    return existing(secrets, STAFF_PRIVATE_FILE, STAFF_PUBLIC_FILE);
  }

  private static DevelopmentTokenIssuer ensure(Path secrets, String privateName, String publicName) {
    Path privateFile = secrets.resolve(privateName);
    Path publicFile = secrets.resolve(publicName);
    try {
      if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
        Files.createDirectories(secrets);
        KeyPair pair = generate(ALGORITHM);
        Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        SecretFiles.restrictToOwner(privateFile);
      }
      return new DevelopmentTokenIssuer(ALGORITHM, Files.readString(privateFile), Files.readString(publicFile));
    } catch (IOException e) {
      throw new UncheckedIOException("development token keys in " + secrets + " are unreadable", e);
    }
  }

  /** The key pair in {@code secrets} if both files are there; never creates one. Blocks (file I/O). */
  public static Optional<DevelopmentTokenIssuer> existing(Path secrets) {
    return existing(secrets, PRIVATE_FILE, PUBLIC_FILE);
  }

  private static Optional<DevelopmentTokenIssuer> existing(Path secrets, String privateName, String publicName) {
    Path privateFile = secrets.resolve(privateName);
    Path publicFile = secrets.resolve(publicName);
    if (!Files.isRegularFile(privateFile) || !Files.isRegularFile(publicFile)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DevelopmentTokenIssuer(ALGORITHM, Files.readString(privateFile), Files.readString(publicFile)));
    } catch (IOException e) {
      throw new UncheckedIOException("development token keys in " + secrets + " are unreadable", e);
    }
  }

  /** A fresh in-memory {@value #ALGORITHM} key pair (tests). */
  public static DevelopmentTokenIssuer generated() {
    return generated(ALGORITHM);
  }

  /** A fresh in-memory key pair for RS256 or ES256 (tests). */
  public static DevelopmentTokenIssuer generated(String algorithm) {
    KeyPair pair = generate(algorithm);
    return new DevelopmentTokenIssuer(algorithm, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  public String publicKeyPem() {
    return publicKeyPem;
  }

  /** A signed token for {@code subject} ("TCKN:…" or "PASSPORT:NAT:…"). */
  public String mint(Vertx vertx, String subject, String issuer, String audience, Duration lifetime) {
    return mint(vertx, subject, new JsonObject(), issuer, audience, lifetime);
  }

  /** A signed staff token for an agent ({@code sub}) at a point, with a role. */
  public String mintAgent(Vertx vertx, String agent, String point, String role, String issuer, String audience,
      Duration lifetime) {
    return mint(vertx, agent, new JsonObject().put("point", point).put("role", role), issuer, audience, lifetime);
  }

  private String mint(Vertx vertx, String subject, JsonObject claims, String issuer, String audience, Duration lifetime) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(privateKeyPem)));
    return signer.generateToken(claims, new JWTOptions()
        .setAlgorithm(algorithm)
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience(List.of(audience))
        .setExpiresInSeconds((int) lifetime.toSeconds()));
  }

  public String algorithm() {
    return algorithm;
  }

  private static KeyPair generate(String algorithm) {
    try {
      if (algorithm.equals("ES256")) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
      }
      if (algorithm.equals("RS256")) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      }
      throw new IllegalArgumentException("development keys are RS256 or ES256, not " + algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " keys are not available", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** The development key pair under node.dataDir/secrets (created on first use). */
  public static DevelopmentTokenIssuer forNode(GatewayConfig config) {
    requireDevelopmentAlgorithm(config);
    return ensure(config.node().dataDir().resolve("secrets"));
  }

  /** The development key pair under node.dataDir/secrets if it is there; never creates one. */
  public static Optional<DevelopmentTokenIssuer> existingForNode(GatewayConfig config) {
    requireDevelopmentAlgorithm(config);
    return existing(config.node().dataDir().resolve("secrets"));
  }

  private static void requireDevelopmentAlgorithm(GatewayConfig config) {
    if (!config.citizen().tokenAlgorithm().equals(ALGORITHM)) {
      throw new ConfigException("configuration key citizen.tokenAlgorithm must be " + ALGORITHM
          + " with the development key pair");
    }
  }
}
