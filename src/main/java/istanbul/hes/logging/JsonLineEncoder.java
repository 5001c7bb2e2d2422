package istanbul.hes.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One JSON object per line, for a log pipeline: {@code timestamp} (ISO-8601 with date and zone
 * offset, as the text format), {@code level}, {@code logger}, {@code thread}, {@code message} (the
 * formatted message), and {@code throwable} (the whole stack trace as one string field) when there
 * is one. Logback's own JsonEncoder writes the timestamp as epoch milliseconds and repeats the
 * message's arguments in a field of their own; this one writes what a pipeline indexes and
 * nothing the message does not already show.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NEWLINE = {'\n'};

  private final ZoneId zone;

  public JsonLineEncoder() {
    this(ZoneId.systemDefault());
  }

  JsonLineEncoder(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone)));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      IThrowableProxy throwable = event.getThrowableProxy();
      if (throwable != null) {
        json.writeStringField("throwable", ThrowableProxyUtil.asString(throwable));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.writeBytes(NEWLINE);
    return bytes.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
