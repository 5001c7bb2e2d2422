package istanbul.hes.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One listener's TLS: the PEM certificate chain and private key it presents (none: plain HTTP),
 * how often the files are checked for a replacement, and, for the tap listener only, whether
 * validators must present a certificate signed by the CA in {@code clientCaFile}.
 */
public record ListenerTlsConfig(
    Optional<Path> certificateFile,
    Optional<Path> keyFile,
    int reloadSeconds,
    ClientCertificates clientCertificates,
    Optional<Path> clientCaFile) {

  /** Whether (and how) a client presents a certificate in the handshake. */
  public enum ClientCertificates { NONE, OPTIONAL, REQUIRED }

  public boolean enabled() {
    return certificateFile.isPresent();
  }

  static ListenerTlsConfig from(ConfigSource source, String listener) {
    return from(source, listener, ClientCertificates.NONE, Optional.empty());
  }

  /** The tap listener's, with its client-certificate keys. */
  static ListenerTlsConfig withClientCertificates(ConfigSource source, String listener) {
    ClientCertificates clients = source.enumValue(listener + ".clientCertificates", ClientCertificates.class);
    Optional<Path> ca = path(source, listener + ".clientCaFile");
    if (clients != ClientCertificates.NONE && ca.isEmpty()) {
      throw source.invalid(listener + ".clientCaFile", "must name the PEM file of the CA that signs the client certificates when "
          + listener + ".clientCertificates is " + clients);
    }
    return from(source, listener, clients, ca);
  }

  private static ListenerTlsConfig from(ConfigSource source, String listener, ClientCertificates clients, Optional<Path> ca) {
    Optional<Path> certificate = path(source, listener + ".tlsCertificateFile");
    Optional<Path> key = path(source, listener + ".tlsKeyFile");
    if (certificate.isPresent() && key.isEmpty()) {
      throw source.invalid(listener + ".tlsKeyFile", "must name the private key file of " + listener + ".tlsCertificateFile");
    }
    if (key.isPresent() && certificate.isEmpty()) {
      throw source.invalid(listener + ".tlsCertificateFile", "must name the certificate file of " + listener + ".tlsKeyFile");
    }
    if (clients != ClientCertificates.NONE && certificate.isEmpty()) {
      throw source.invalid(listener + ".clientCertificates", "must be NONE unless " + listener + ".tlsCertificateFile is set "
          + "(client certificates need TLS)");
    }
    return new ListenerTlsConfig(certificate, key, source.integer(listener + ".tlsReloadSeconds", 1, 3600), clients, ca);
  }

  private static Optional<Path> path(ConfigSource source, String key) {
    return ConfigPaths.optional(source, key);
  }
}
