package istanbul.hes.phases;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.config.AnonymousPolicy;
import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.RulePhases;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule's phases as PostgreSQL holds them, and the copy every tap reads ({@link RulePhases}).
 * A switch is committed with its audit row, applied here at once and announced to the other
 * nodes through the fan-out stream, which makes them read PostgreSQL again; a node also reads it at
 * start and every {@code reloadMillis} (a missed announcement still arrives).
 */
public final class RulePhaseService {
  private static final Logger LOG = LoggerFactory.getLogger(RulePhaseService.class);

  /** The kinds of card a phase applies to, as the API names them. */
  public enum Kind {
    PERSONALIZED, ANONYMOUS;

    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Who switched a kind's phase, when and why (null for the configuration's initial value). */
  public record Switch(RuleMode mode, OffsetDateTime at, String by, String why) {}

  private final Pool pool;
  private final RulePhases phases;
  private final RulePhases.Modes initial;
  private final Map<Kind, Switch> switches = new ConcurrentHashMap<>();
  private final List<Runnable> switchListeners = new CopyOnWriteArrayList<>();
  /** The newest switch applied (microseconds since the epoch); reads that saw an older one are stale. */
  private long appliedStamp = Long.MIN_VALUE;

  public RulePhaseService(Pool pool, AnonymousPolicy anonymousPolicy) {
    this.pool = pool;
    this.initial = new RulePhases.Modes(RuleMode.ENFORCE, anonymousPolicy == AnonymousPolicy.ALLOW ? RuleMode.OFF : RuleMode.ENFORCE);
    this.phases = new RulePhases(initial);
  }

  /** What the tap listener reads. */
  public RulePhases phases() {
    return phases;
  }

  /** Called after this node switched a phase (the fan-out announces it). */
  public void onSwitched(Runnable listener) {
    switchListeners.add(listener);
  }

  /** Reads the phases from PostgreSQL; kinds without a row keep the configuration's initial value. */
  public Future<RulePhases.Modes> reload() {
    return pool.query(PhaseSql.CURRENT).execute().map(rows -> apply(rows));
  }

  /**
   * Applies what a read found, unless a read that saw a later switch was applied already: reads
   * started by the poll, an announcement and a switch may finish in any order.
   */
  private synchronized RulePhases.Modes apply(RowSet<Row> rows) {
    long newest = Long.MIN_VALUE;
    for (Row row : rows) {
      newest = Math.max(newest, stamp(row.getOffsetDateTime(2)));
    }
    if (newest < appliedStamp) {
      return phases.modes();
    }
    appliedStamp = newest;
    RuleMode personalized = initial.personalized();
    RuleMode anonymous = initial.anonymous();
    RuleMode personalizedBefore = personalized;
    RuleMode anonymousBefore = anonymous;
    long personalizedSince = Long.MIN_VALUE;
    long anonymousSince = Long.MIN_VALUE;
    for (Row row : rows) {
      Kind kind = Kind.valueOf(row.getString(0));
      RuleMode mode = RuleMode.valueOf(row.getString(1));
      RuleMode before = row.getString(5) == null ? mode : RuleMode.valueOf(row.getString(5));
      // A tap stamped in the switch's own millisecond was made before it: the mode changes from the next one.
      long since = row.getString(5) == null ? Long.MIN_VALUE : Math.floorDiv(stamp(row.getOffsetDateTime(2)) + 999, 1000);
      switches.put(kind, new Switch(mode, row.getOffsetDateTime(2), row.getString(3), row.getString(4)));
      if (kind == Kind.PERSONALIZED) {
        personalized = mode;
        personalizedBefore = before;
        personalizedSince = since;
      } else {
        anonymous = mode;
        anonymousBefore = before;
        anonymousSince = since;
      }
    }
    RulePhases.Modes current = new RulePhases.Modes(personalized, anonymous);
    if (!current.equals(phases.modes())) {
      LOG.info("rule phases now: personalized {}, anonymous {}", personalized, anonymous);
    }
    phases.set(current, new RulePhases.Modes(personalizedBefore, anonymousBefore), personalizedSince, anonymousSince);
    return current;
  }

  private static long stamp(OffsetDateTime at) {
    return at.toEpochSecond() * 1_000_000 + at.getNano() / 1_000;
  }

  /** Keeps reading PostgreSQL every {@code periodMillis}: the backstop of the stream's announcements. */
  public long watch(Vertx vertx, long periodMillis) {
    return vertx.setPeriodic(periodMillis, id -> reload().onFailure(failure ->
        LOG.debug("rule phases not re-read ({}); the tap listener keeps the ones it has", failure.toString())));
  }

  /** Switches a kind's phase, with its audit row; applied on this node once committed. */
  public Future<RulePhases.Modes> change(Kind kind, RuleMode mode, String by, String why) {
    return pool.withTransaction(connection -> connection.preparedQuery(PhaseSql.ENSURE).execute(Tuple.of(kind.name(), initialOf(kind).name()))
        .compose(ensured -> connection.preparedQuery(PhaseSql.LOCK).execute(Tuple.of(kind.name())))
        .compose(rows -> {
          String previous = rows.iterator().next().getString(0);
          return connection.preparedQuery(PhaseSql.SET).execute(Tuple.of(kind.name(), mode.name(), by, why))
              .compose(done -> connection.preparedQuery(PhaseSql.AUDIT).execute(Tuple.of(kind.name(), mode.name(), previous, by, why)));
        }))
        .compose(done -> reload())
        .onSuccess(current -> {
          LOG.info("rule phase of {} cards switched to {} by {}", kind.apiName(), mode, by);
          switchListeners.forEach(Runnable::run);
        });
  }

  private RuleMode initialOf(Kind kind) {
    return kind == Kind.PERSONALIZED ? initial.personalized() : initial.anonymous();
  }

  /** {@code {"personalized":{mode,changedAt,changedBy,why},"anonymous":{…}}}; a kind never switched shows its initial mode. */
  public JsonObject toJson() {
    RulePhases.Modes current = phases.modes();
    JsonObject json = new JsonObject();
    for (Kind kind : Kind.values()) {
      RuleMode mode = kind == Kind.PERSONALIZED ? current.personalized() : current.anonymous();
      Switch last = switches.get(kind);
      JsonObject phase = new JsonObject().put("mode", mode.name());
      if (last == null) {
        phase.put("changedAt", null).put("changedBy", "configuration").put("why", "initial value");
      } else {
        phase.put("changedAt", last.at().toInstant().toString()).put("changedBy", last.by()).put("why", last.why());
      }
      json.put(kind.apiName(), phase);
    }
    return json;
  }
}
