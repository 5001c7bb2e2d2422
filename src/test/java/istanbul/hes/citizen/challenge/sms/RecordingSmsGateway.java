package istanbul.hes.citizen.challenge.sms;

import io.vertx.core.Future;
import istanbul.hes.citizen.domain.PhoneNumber;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test double of the SMS provider for unit tests of the challenge service: sends nothing,
 * keeps the last {@value #MESSAGES_PER_PHONE} messages of each phone in memory. Bounded: at most
 * {@value #MAX_PHONES} phones, the least recently written forgotten first. Thread-safe. (Nodes
 * always send through {@code citizen.smsGatewayUrl}; node tests point it at the kit's simulator.)
 */
public final class RecordingSmsGateway implements SmsGateway {
  public static final int MESSAGES_PER_PHONE = 10;
  public static final int MAX_PHONES = 10_000;
  private static final Pattern CODE = Pattern.compile("(?<![0-9])([0-9]{4,10})(?![0-9])");

  private final Map<String, Deque<String>> messages = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<String>> eldest) {
      return size() > MAX_PHONES;
    }
  };

  @Override
  public Future<Void> send(PhoneNumber to, String text) {
    synchronized (messages) {
      Deque<String> texts = messages.computeIfAbsent(to.value(), phone -> new ArrayDeque<>());
      texts.addLast(text);
      if (texts.size() > MESSAGES_PER_PHONE) {
        texts.removeFirst();
      }
    }
    return Future.succeededFuture();
  }

  /** The messages sent to this phone, oldest first. */
  public List<String> messagesFor(PhoneNumber phone) {
    synchronized (messages) {
      Deque<String> texts = messages.get(phone.value());
      return texts == null ? List.of() : List.copyOf(texts);
    }
  }

  /** The code of the last message sent to this phone: its first group of 4 to 10 digits. */
  public Optional<String> lastCodeFor(PhoneNumber phone) {
    String last;
    synchronized (messages) {
      Deque<String> texts = messages.get(phone.value());
      last = texts == null ? null : texts.peekLast();
    }
    if (last == null) {
      return Optional.empty();
    }
    Matcher matcher = CODE.matcher(last);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  public void clear() {
    synchronized (messages) {
      messages.clear();
    }
  }
}
