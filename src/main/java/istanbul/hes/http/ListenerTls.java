package istanbul.hes.http;

import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.impl.ConnectionBase;
import istanbul.hes.config.ListenerTlsConfig;
import istanbul.hes.config.StartupFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's certificate, key and (tap) client CA, read from PEM files, checked before the
 * listener opens, and re-read when the files change so that a renewed certificate is served to
 * new connections without a restart. Shared by every server instance of the listener. A
 * replacement that cannot be used is logged and the previous material stays in force.
 */
public final class ListenerTls {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);
  private static final AttributeKey<String> FINGERPRINT = AttributeKey.valueOf("hesClientFingerprint");

  private final String listener;
  private final ListenerTlsConfig config;
  private final long handshakeTimeoutMillis;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private Future<Void> loaded;
  private volatile Material current;
  private volatile boolean lastReloadFailed;

  /** What was read: the options built from the files' contents, and the files' stamps. */
  private record Material(ServerSSLOptions options, String stamp) {}

  /**
   * @param handshakeTimeoutMillis a connection that has not completed its handshake by then is
   *     closed (the listener's header deadline and connection cap only see it afterwards)
   */
  public ListenerTls(String listener, ListenerTlsConfig config, long handshakeTimeoutMillis) {
    this.listener = listener;
    this.config = config;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  public boolean enabled() {
    return config.enabled();
  }

  /**
   * Reads and checks the files once (every instance of the listener gets the same outcome), then
   * watches them from the first caller's context (its timer ends with that verticle). A file
   * that is missing, unreadable or not valid PEM fails with a {@link StartupFailure} naming the key.
   */
  public synchronized Future<Void> load(Vertx vertx) {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    if (loaded == null) {
      loaded = vertx.executeBlocking(() -> read(vertx), false).map(material -> {
        current = material;
        vertx.setPeriodic(config.reloadSeconds() * 1000L, id -> check(vertx));
        return (Void) null;
      });
    }
    return loaded;
  }

  /** The listener's options with TLS (when configured); call after {@link #load}. */
  public HttpServerOptions apply(HttpServerOptions options) {
    Material material = current;
    if (material == null) {
      return options;
    }
    ServerSSLOptions ssl = material.options();
    // The handshake's expensive steps (key exchange, checking a client's chain) run on a
    // worker, not on the event loop that answers taps: a fleet of buses reconnecting after a
    // tunnel must not stall the taps of open connections.
    options.setSsl(true).setKeyCertOptions(ssl.getKeyCertOptions()).setClientAuth(ssl.getClientAuth())
        .setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true))
        .setSslHandshakeTimeout(ssl.getSslHandshakeTimeout()).setSslHandshakeTimeoutUnit(ssl.getSslHandshakeTimeoutUnit());
    if (ssl.getTrustOptions() != null) {
      options.setTrustOptions(ssl.getTrustOptions());
    }
    return options;
  }

  /** A server of this listener: it gets every replaced certificate. */
  public HttpServer serve(HttpServer server) {
    if (config.enabled()) {
      servers.add(server);
    }
    return server;
  }

  private void check(Vertx vertx) {
    vertx.executeBlocking(this::stamp, false).onSuccess(stamp -> {
      Material previous = current;
      if (stamp.equals(previous.stamp())) {
        return;
      }
      vertx.executeBlocking(() -> read(vertx), false)
          .compose(material -> {
            current = material;
            lastReloadFailed = false;
            List<Future<Boolean>> updates = new ArrayList<>();
            for (HttpServer server : servers) {
              updates.add(server.updateSSLOptions(material.options()));
            }
            return Future.all(updates);
          })
          .onSuccess(updated -> LOG.info("{} listener: TLS certificate reloaded from {}", listener, config.certificateFile().get()))
          .onFailure(failure -> {
            if (!lastReloadFailed) {
              LOG.error("{} listener: the replaced TLS files cannot be used, the previous certificate stays in force: {}",
                  listener, failure.getMessage());
            }
            lastReloadFailed = true;
            // Not retried until the files change again.
            current = new Material(previous.options(), stamp);
          });
    }).onFailure(failure -> {
      if (!lastReloadFailed) {
        LOG.error("{} listener: the TLS files cannot be read, the previous certificate stays in force: {}", listener, failure.getMessage());
      }
      lastReloadFailed = true;
    });
  }

  /**
   * The SHA-256 fingerprint (base64) of the public key of the certificate the client presented
   * on this connection, or null. Computed on the connection's first request and kept on its
   * channel: later requests cost one attribute read.
   */
  public static String clientFingerprint(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return null;
    }
    Attribute<String> attribute = base.channel().attr(FINGERPRINT);
    String fingerprint = attribute.get();
    if (fingerprint == null) {
      fingerprint = fingerprintOf(connection);
      attribute.set(fingerprint);
    }
    return fingerprint.isEmpty() ? null : fingerprint;
  }

  private static String fingerprintOf(HttpConnection connection) {
    if (!connection.isSsl()) {
      return "";
    }
    try {
      List<Certificate> chain = connection.peerCertificates();
      return chain == null || chain.isEmpty() ? "" : spkiFingerprint(chain.get(0));
    } catch (SSLPeerUnverifiedException e) {
      return "";
    }
  }

  /** SHA-256 of the certificate's SubjectPublicKeyInfo, base64: what the clusters file lists. */
  public static String spkiFingerprint(Certificate certificate) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Blocking: the files' sizes and modification times. */
  private String stamp() throws IOException {
    StringBuilder stamp = new StringBuilder();
    for (Path file : files()) {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      stamp.append(attributes.lastModifiedTime().toMillis()).append('/').append(attributes.size()).append(';');
    }
    return stamp.toString();
  }

  private List<Path> files() {
    List<Path> files = new ArrayList<>(3);
    files.add(config.certificateFile().get());
    files.add(config.keyFile().get());
    config.clientCaFile().ifPresent(files::add);
    return files;
  }

  /** Blocking: reads and checks the files. */
  private Material read(Vertx vertx) throws Exception {
    // The stamp first: a file replaced while it is read is read again at the next check.
    String stamp = stamp();
    String certificateKey = listener + ".tlsCertificateFile";
    Path certificateFile = config.certificateFile().get();
    byte[] certificate = readFile(certificateKey, certificateFile);
    requireCertificates(certificateKey, certificateFile, certificate);
    String keyKey = listener + ".tlsKeyFile";
    Path keyFile = config.keyFile().get();
    byte[] key = readFile(keyKey, keyFile);
    PemKeyCertOptions keyCert = new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate)).setKeyValue(Buffer.buffer(key));
    try {
      keyCert.getKeyManagerFactory(vertx);
    } catch (Exception e) {
      throw StartupFailure.configuration(keyKey, keyFile + " is not a usable PEM private key for " + certificateFile + ": "
          + StartupFailure.causeText(e), e);
    }
    ServerSSLOptions options = new ServerSSLOptions().setKeyCertOptions(keyCert)
        .setSslHandshakeTimeout(handshakeTimeoutMillis).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    Optional<Path> caFile = config.clientCaFile();
    if (config.clientCertificates() != ListenerTlsConfig.ClientCertificates.NONE && caFile.isPresent()) {
      String caKey = listener + ".clientCaFile";
      byte[] ca = readFile(caKey, caFile.get());
      requireCertificates(caKey, caFile.get(), ca);
      options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca)))
          .setClientAuth(config.clientCertificates() == ListenerTlsConfig.ClientCertificates.REQUIRED ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
    }
    return new Material(options, stamp);
  }

  private static byte[] readFile(String key, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw StartupFailure.configuration(key, "cannot read " + file + ": " + StartupFailure.fileProblem(e), e);
    }
  }

  private static void requireCertificates(String key, Path file, byte[] pem) {
    try {
      if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty()) {
        throw StartupFailure.configuration(key, file + " holds no PEM certificate");
      }
    } catch (CertificateException e) {
      throw StartupFailure.configuration(key, file + " is not a valid PEM certificate: " + StartupFailure.causeText(e), e);
    }
  }
}
