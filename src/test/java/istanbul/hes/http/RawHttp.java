package istanbul.hes.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Requests written byte for byte on a plain socket: what a client library would refuse to send. */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Everything the server sends until it closes the connection (or 10 s pass: an assertion then fails). */
  String readUntilClosed() throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[4096];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        read.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within 10 s; read: " + read.toString(StandardCharsets.ISO_8859_1));
    } catch (IOException reset) {
      // A reset after the answer counts as closed.
    }
    return read.toString(StandardCharsets.ISO_8859_1);
  }

  /** One answer with a Content-Length body, without waiting for the connection to close. */
  String readAnswer() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed before a full answer: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return headers + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  /** A parsed answer: status, headers (names lower case) and body. */
  record Answer(int status, java.util.Map<String, String> headers, String body) {
    static Answer parse(String raw) {
      int split = raw.indexOf("\r\n\r\n");
      if (split < 0) {
        throw new AssertionError("no complete answer: '" + raw + "'");
      }
      String[] lines = raw.substring(0, split).split("\r\n");
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(split + 4));
    }

    io.vertx.core.json.JsonObject json() {
      return new io.vertx.core.json.JsonObject(body);
    }
  }

  /** One request on a new connection; the answer is read to the connection's end. */
  static Answer exchange(int port, String request) {
    try (RawHttp http = new RawHttp(port)) {
      http.write(request);
      return Answer.parse(http.readUntilClosed());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request with a body and Connection: close. */
  static String request(String method, String path, java.util.Map<String, String> headers, String body) {
    StringBuilder text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
    if (body != null) {
      text.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
    }
    return text.append("\r\n").append(body == null ? "" : body).toString();
  }

  boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
