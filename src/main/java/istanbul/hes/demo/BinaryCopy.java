package istanbul.hes.demo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary COPY format, in a growable byte array: no text to format on this
 * side nor to parse on the server's. One buffer holds one COPY statement's data (header, rows,
 * trailer).
 */
final class BinaryCopy {
  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
  /** Days between 1970-01-01 and PostgreSQL's date epoch, 2000-01-01. */
  private static final int POSTGRES_EPOCH_DAY = 10_957;

  private byte[] bytes;
  private int length;
  private long rows;

  BinaryCopy(int initialCapacity) {
    bytes = new byte[Math.max(64, initialCapacity)];
    put(HEADER);
  }

  BinaryCopy row(int fields) {
    rows++;
    return int16(fields);
  }

  BinaryCopy int64(long value) {
    ensure(12);
    writeInt(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  BinaryCopy int16Field(int value) {
    ensure(6);
    writeInt(2);
    bytes[length++] = (byte) (value >>> 8);
    bytes[length++] = (byte) value;
    return this;
  }

  BinaryCopy bool(boolean value) {
    ensure(5);
    writeInt(1);
    bytes[length++] = (byte) (value ? 1 : 0);
    return this;
  }

  /** A date given as epoch day. */
  BinaryCopy date(long epochDay) {
    ensure(8);
    writeInt(4);
    writeInt((int) (epochDay - POSTGRES_EPOCH_DAY));
    return this;
  }

  BinaryCopy bytes(byte[] value) {
    ensure(4 + value.length);
    writeInt(value.length);
    System.arraycopy(value, 0, bytes, length, value.length);
    length += value.length;
    return this;
  }

  /** text, char(n) and enum labels all travel as their UTF-8 bytes. */
  BinaryCopy text(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A constant, already encoded text value. */
  BinaryCopy textBytes(byte[] utf8) {
    return bytes(utf8);
  }

  BinaryCopy nullValue() {
    ensure(4);
    writeInt(-1);
    return this;
  }

  /** Writes the trailer; the buffer is complete. */
  BinaryCopy finish() {
    int16(-1);
    return this;
  }

  long rows() {
    return rows;
  }

  byte[] array() {
    return bytes;
  }

  int length() {
    return length;
  }

  private BinaryCopy int16(int value) {
    ensure(2);
    bytes[length++] = (byte) (value >>> 8);
    bytes[length++] = (byte) value;
    return this;
  }

  private void writeInt(int value) {
    bytes[length++] = (byte) (value >>> 24);
    bytes[length++] = (byte) (value >>> 16);
    bytes[length++] = (byte) (value >>> 8);
    bytes[length++] = (byte) value;
  }

  private void put(byte[] data) {
    ensure(data.length);
    System.arraycopy(data, 0, bytes, length, data.length);
    length += data.length;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
