package istanbul.hes.citizen.auth;

import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.StartupFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Where the identity provider's public key comes from: the configured PEM file (a node has the
 * public key only), or, for the demo, the development key pair under the data folder. Blocks
 * (file I/O): call at start, on a worker or in main.
 */
public final class CitizenTokenKeys {
  private static final String KEY = "citizen.tokenPublicKeyFile";
  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";

  private CitizenTokenKeys() {}

  public static TokenSettings settings(GatewayConfig config) {
    CitizenConfig citizen = config.citizen();
    Path file = citizen.tokenPublicKeyFile().orElseThrow(() -> StartupFailure.configuration(KEY,
        "is empty: a node needs the PEM file of the citizen identity provider's public key"));
    String publicKeyPem;
    try {
      publicKeyPem = Files.readString(file);
    } catch (IOException e) {
      throw StartupFailure.configuration(KEY, "cannot read " + file + ": " + StartupFailure.fileProblem(e), e);
    }
    requireUsableKey(file, publicKeyPem, citizen.tokenAlgorithm());
    try {
      return new TokenSettings(citizen.tokenIssuer(), citizen.tokenAudience(), citizen.tokenAlgorithm(), publicKeyPem,
          citizen.tokenLeewaySeconds(), citizen.tokenMaxLifetimeSeconds());
    } catch (IllegalArgumentException e) {
      throw StartupFailure.configuration(KEY, file + " is not a usable public key: " + StartupFailure.causeText(e), e);
    }
  }

  /**
   * The key is decoded here, at start, as the verifier will decode it: a file that is not a public
   * key of the configured algorithm's kind stops the node with the key's name, not the citizen
   * listener with a parser's message.
   */
  private static void requireUsableKey(Path file, String pem, String algorithm) {
    String kind = algorithm.startsWith("RS") ? "RSA" : "EC";
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      throw StartupFailure.configuration(KEY, file + " is not a usable public key: no " + PEM_BEGIN + " … " + PEM_END + " block");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end).strip());
      KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw StartupFailure.configuration(KEY, file + " is not a usable public key: not an " + kind
          + " public key in PEM form (citizen.tokenAlgorithm is " + algorithm + ")", e);
    }
  }
}
