package istanbul.hes.http;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import istanbul.hes.config.StartupFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * Whom the node's outbound HTTPS calls (the ministries, the SMS gateway) trust: the CAs of a PEM
 * bundle, or the JVM's default trust store when none is configured. The host name is always
 * checked against the certificate.
 */
public final class OutboundTrust {
  private OutboundTrust() {}

  public static WebClientOptions apply(WebClientOptions options, Optional<Path> trustFile) {
    trustFile.ifPresent(file -> options.setTrustOptions(new PemTrustOptions().addCertPath(file.toString())));
    return options.setVerifyHost(true);
  }

  /** Blocking, at start: the bundle must be readable and hold at least one PEM certificate. */
  public static void check(String key, Optional<Path> trustFile) {
    if (trustFile.isEmpty()) {
      return;
    }
    Path file = trustFile.get();
    try (InputStream in = Files.newInputStream(file)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw StartupFailure.configuration(key, file + " holds no PEM certificate");
      }
    } catch (IOException e) {
      throw StartupFailure.configuration(key, "cannot read " + file + ": " + StartupFailure.fileProblem(e), e);
    } catch (CertificateException e) {
      throw StartupFailure.configuration(key, file + " is not a valid PEM certificate bundle: " + StartupFailure.causeText(e), e);
    }
  }
}
