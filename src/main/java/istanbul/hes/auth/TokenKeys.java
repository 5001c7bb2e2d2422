package istanbul.hes.auth;

import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.PointsConfig;
import istanbul.hes.config.StartupFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Where an identity provider's public key comes from: the configured PEM file (a node has public
 * keys only; the demo points the settings at its development key pairs). Blocks (file I/O): call
 * at start, on a worker or in main.
 */
public final class TokenKeys {
  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";

  private TokenKeys() {}

  /** The portal's identity provider (citizens' tokens). */
  public static TokenSettings citizen(GatewayConfig config) {
    CitizenConfig citizen = config.citizen();
    return read("citizen", "the citizen identity provider's", citizen.tokenPublicKeyFile(), citizen.tokenIssuer(),
        citizen.tokenAudience(), citizen.tokenAlgorithm(), citizen.tokenLeewaySeconds(), citizen.tokenMaxLifetimeSeconds());
  }

  /** The municipality's staff identity provider (the points' agents), when the points' listener is on. */
  public static Optional<TokenSettings> points(GatewayConfig config) {
    PointsConfig points = config.points();
    if (!points.enabled()) {
      return Optional.empty();
    }
    return Optional.of(read("points", "the staff identity provider's", points.tokenPublicKeyFile(), points.tokenIssuer(),
        points.tokenAudience(), points.tokenAlgorithm(), points.tokenLeewaySeconds(), points.tokenMaxLifetimeSeconds()));
  }

  private static TokenSettings read(String section, String whose, Optional<Path> configured, String issuer, String audience,
      String algorithm, int leeway, int maxLifetime) {
    String key = section + ".tokenPublicKeyFile";
    Path file = configured.orElseThrow(() -> StartupFailure.configuration(key,
        "is empty: a node needs the PEM file of " + whose + " public key"));
    String publicKeyPem;
    try {
      publicKeyPem = Files.readString(file);
    } catch (IOException e) {
      throw StartupFailure.configuration(key, "cannot read " + file + ": " + StartupFailure.fileProblem(e), e);
    }
    requireUsableKey(key, section + ".tokenAlgorithm", file, publicKeyPem, algorithm);
    try {
      return new TokenSettings(issuer, audience, algorithm, publicKeyPem, leeway, maxLifetime);
    } catch (IllegalArgumentException e) {
      throw StartupFailure.configuration(key, file + " is not a usable public key: " + StartupFailure.causeText(e), e);
    }
  }

  /**
   * The key is decoded here, at start, as the verifier will decode it: a file that is not a public
   * key of the configured algorithm's kind stops the node with the key's name, not a listener with
   * a parser's message.
   */
  private static void requireUsableKey(String key, String algorithmKey, Path file, String pem, String algorithm) {
    String kind = algorithm.startsWith("RS") ? "RSA" : "EC";
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      throw StartupFailure.configuration(key, file + " is not a usable public key: no " + PEM_BEGIN + " … " + PEM_END + " block");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end).strip());
      KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw StartupFailure.configuration(key, file + " is not a usable public key: not an " + kind
          + " public key in PEM form (" + algorithmKey + " is " + algorithm + ")", e);
    }
  }
}
