package istanbul.hes.fanout;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The card status stream in Redis terms, in one place: the entries the fan-out adds (a
 * transaction's changes, or a catch-up marker), the reads, and what {@code XINFO STREAM} says.
 * Replies are read in both protocol versions (RESP2 arrays, RESP3 maps).
 */
final class CardStatusStream {
  private static final String PUBLISHER = "p";
  private static final String UPDATES = "u";
  private static final String CATCH_UP = "c";
  private static final String PHASES = "r";
  private static final String INSTALLATION = "i";

  private final String key;
  private final long maxEntries;

  CardStatusStream(String key, long maxEntries) {
    this.key = key;
    this.maxEntries = maxEntries;
  }

  String key() {
    return key;
  }

  /**
   * One entry: a committed transaction's changes, or (updates null) "catch up from the change
   * log", or ({@code phasesSwitched}) "an operator switched a rule phase: read them again".
   * {@code installation} is the publisher's installation id (null from a version before it).
   */
  record Entry(StreamId id, String publisher, String installation, byte[] updates, boolean phasesSwitched) {
    boolean catchUpMarker() {
      return updates == null && !phasesSwitched;
    }
  }

  /**
   * What the stream looks like now; {@code firstEntry} null when it is empty or missing,
   * {@code deleted} how many entries it ever lost to trimming or deletion (entries added minus
   * length), null before Redis 7, which does not count the entries added.
   */
  record Info(boolean exists, StreamId lastGenerated, StreamId firstEntry, Long deleted) {
    static final Info MISSING = new Info(false, StreamId.ZERO, null, null);

    /** The stream was trimmed past the position: entries the node had not read were deleted. */
    static final String TRIMMED = "trimmed";
    /**
     * The stream followed is gone: Redis lost its data (restarted empty, flushed, failed over to
     * an empty replica); the stream, if there is one, is a new one.
     */
    static final String STREAM_LOST = "stream lost";

    /**
     * Why entries after {@code position} may be gone before this node read them, or null when
     * none can be: {@link #STREAM_LOST} when the stream vanished or was started anew (it never
     * reached the position; or its oldest entry is newer than the position and either Redis
     * restarted since the position was read, or the stream never deleted any entry),
     * {@link #TRIMMED} when its oldest entry is newer than the position because it was trimmed.
     * Conservative: a resync costs one change-log query.
     *
     * @param redisRestarted whether the Redis answering now is another process than the one the
     *     position was read from (its {@code run_id} changed)
     */
    String lossAfter(StreamId position, boolean redisRestarted) {
      if (!exists) {
        return position.isAfter(StreamId.ZERO) ? STREAM_LOST : null;
      }
      if (position.isAfter(lastGenerated)) {
        return STREAM_LOST;
      }
      if (firstEntry != null && firstEntry.isAfter(position)) {
        // A stream that never deleted an entry and still lacks the position never held it
        // (Redis 7 counts; before, only a restart tells).
        return redisRestarted || deleted != null && deleted == 0 ? STREAM_LOST : TRIMMED;
      }
      return null;
    }
  }

  Request publish(String publisher, String installation, byte[] updates) {
    return append().arg(PUBLISHER).arg(publisher).arg(INSTALLATION).arg(installation).arg(UPDATES).arg(Buffer.buffer(updates));
  }

  /** Tells every node to catch up from the change log: this publisher could not publish some changes. */
  Request catchUpMarker(String publisher, String installation) {
    return append().arg(PUBLISHER).arg(publisher).arg(INSTALLATION).arg(installation).arg(CATCH_UP).arg("1");
  }

  /** Tells every node that a rule phase was switched (PostgreSQL holds which). */
  Request phasesMarker(String publisher, String installation) {
    return append().arg(PUBLISHER).arg(publisher).arg(INSTALLATION).arg(installation).arg(PHASES).arg("1");
  }

  private Request append() {
    return Request.cmd(Command.XADD).arg(key).arg("MAXLEN").arg("~").arg(maxEntries).arg("*");
  }

  Request read(StreamId after, int count, int blockMillis) {
    return Request.cmd(Command.XREAD).arg("COUNT").arg(count).arg("BLOCK").arg(blockMillis).arg("STREAMS").arg(key)
        .arg(after.toString());
  }

  Request info() {
    return Request.cmd(Command.XINFO).arg("STREAM").arg(key);
  }

  /** The entries of an {@code XREAD} reply (none when it timed out). */
  List<Entry> entries(Response reply) {
    List<Entry> entries = new ArrayList<>();
    if (reply == null) {
      return entries;
    }
    Response ofStream = reply.isMap() ? reply.get(key) : reply.size() > 0 ? reply.get(0).get(1) : null;
    if (ofStream == null) {
      return entries;
    }
    for (Response entry : ofStream) {
      StreamId id = StreamId.parse(entry.get(0).toString());
      Response fields = entry.get(1);
      String publisher = null;
      String installation = null;
      byte[] updates = null;
      boolean marker = false;
      boolean phases = false;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String field = fields.get(i).toString();
        switch (field) {
          case PUBLISHER -> publisher = fields.get(i + 1).toString();
          case INSTALLATION -> installation = fields.get(i + 1).toString();
          case UPDATES -> updates = fields.get(i + 1).toBytes();
          case CATCH_UP -> marker = true;
          case PHASES -> phases = true;
          default -> { } // a field of a later version: ignored
        }
      }
      if (updates != null || marker || phases) {
        entries.add(new Entry(id, publisher, installation, marker || phases ? null : updates, phases && !marker && updates == null));
      }
    }
    return entries;
  }

  /** An {@code XINFO STREAM} reply. */
  static Info info(Response reply) {
    Response lastGenerated = field(reply, "last-generated-id");
    Response firstEntry = field(reply, "first-entry");
    Response length = field(reply, "length");
    Response added = field(reply, "entries-added");
    return new Info(true, lastGenerated == null ? StreamId.ZERO : StreamId.parse(lastGenerated.toString()),
        firstEntry == null || firstEntry.size() == 0 ? null : StreamId.parse(firstEntry.get(0).toString()),
        added == null || length == null ? null : added.toLong() - length.toLong());
  }

  private static Response field(Response reply, String name) {
    if (reply.isMap()) {
      return reply.get(name);
    }
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      if (name.equals(reply.get(i).toString())) {
        return reply.get(i + 1);
      }
    }
    return null;
  }

  /** {@code INFO server}: its {@code run_id} changes whenever Redis restarts. */
  Request serverInfo() {
    return Request.cmd(Command.INFO).arg("server");
  }

  /** The {@code run_id} of an {@code INFO server} reply; null when it has none. */
  static String runId(Response reply) {
    for (String line : reply.toString().split("\r?\n")) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length()).trim();
      }
    }
    return null;
  }

  /** Whether a failed {@code XINFO STREAM} means only that the stream does not exist (yet). */
  static boolean noSuchStream(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return message.contains("no such key") || message.contains("ERR no such");
  }
}
