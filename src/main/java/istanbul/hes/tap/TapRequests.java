package istanbul.hes.tap;

/**
 * Parsed taps of one request, in arrays reused from request to request by one event loop.
 * A single tap is a batch of one.
 */
final class TapRequests {
  final long[] cards;
  final String[] validators;
  final long[] atMillis;
  int size;

  TapRequests(int capacity) {
    cards = new long[capacity];
    validators = new String[capacity];
    atMillis = new long[capacity];
  }

  int capacity() {
    return cards.length;
  }
}
