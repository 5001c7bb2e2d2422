package istanbul.hes.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for the tests with the {@code openssl} command (on every development and CI
 * machine): CAs, server certificates for 127.0.0.1 and localhost, client certificates, each a
 * PEM certificate and PEM key in a folder, and the JDK contexts a client needs to use them.
 */
final class TestCertificates {
  private static final String PASSWORD = "changeit";
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path directory;

  TestCertificates(Path directory) {
    this.directory = directory;
  }

  /** A self-signed CA: name.pem, name.key. */
  Path ca(String name) {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=" + name, "-keyout", key(name).toString(), "-out", pem(name).toString());
    return pem(name);
  }

  /** A server certificate for 127.0.0.1 and localhost signed by {@code ca}. */
  Path server(String name, String ca) {
    return signed(name, ca, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  }

  /** A client certificate signed by {@code ca}. */
  Path client(String name, String ca) {
    Path pem = signed(name, ca, "extendedKeyUsage=clientAuth\n");
    openssl("pkcs12", "-export", "-in", pem.toString(), "-inkey", key(name).toString(), "-out", directory.resolve(name + ".p12").toString(),
        "-passout", "pass:" + PASSWORD);
    return pem;
  }

  private Path signed(String name, String ca, String extensions) {
    try {
      Path ext = Files.writeString(directory.resolve(name + ".ext"), extensions);
      openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + name,
          "-keyout", key(name).toString(), "-out", directory.resolve(name + ".csr").toString());
      openssl("x509", "-req", "-in", directory.resolve(name + ".csr").toString(), "-CA", pem(ca).toString(), "-CAkey", key(ca).toString(),
          "-set_serial", Long.toString(SERIAL.incrementAndGet()), "-days", "2", "-extfile", ext.toString(), "-out", pem(name).toString());
      return pem(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path pem(String name) {
    return directory.resolve(name + ".pem");
  }

  Path key(String name) {
    return directory.resolve(name + ".key");
  }

  /** Copies a certificate and key over {@code target}'s files, each by an atomic move. */
  void install(String name, Path certificateFile, Path keyFile) {
    try {
      Path certificate = Files.copy(pem(name), certificateFile.resolveSibling(certificateFile.getFileName() + ".new"), StandardCopyOption.REPLACE_EXISTING);
      Path key = Files.copy(key(name), keyFile.resolveSibling(keyFile.getFileName() + ".new"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(key, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(certificate, certificateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  X509Certificate certificate(String name) {
    try (InputStream in = Files.newInputStream(pem(name))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SHA-256 of the certificate's public key (SubjectPublicKeyInfo), hex with colons. */
  String fingerprintHex(String name) {
    return HexFormat.ofDelimiter(":").formatHex(digest(name));
  }

  String fingerprintBase64(String name) {
    return java.util.Base64.getEncoder().encodeToString(digest(name));
  }

  private byte[] digest(String name) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate(name).getPublicKey().getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context trusting {@code ca}, presenting {@code client}'s certificate (null: none). */
  SSLContext context(String ca, String client) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", certificate(ca));
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManagerFactory keyManagers = null;
      if (client != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(new ByteArrayInputStream(Files.readAllBytes(directory.resolve(client + ".p12"))), PASSWORD.toCharArray());
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void openssl(String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: " + new String(output));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
