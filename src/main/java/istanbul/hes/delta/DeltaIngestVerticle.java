package istanbul.hes.delta;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import istanbul.hes.config.RiskDeltasConfig;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.keys.PersonKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the Ministry of Health's risk delta feed, page after page, and applies each page's run
 * ({@link DeltaPages}) in one transaction with the feed position ({@link DeltaRepository}).
 * Caught up, it polls every {@code riskDeltas.pollMillis}; behind, it asks for the next page at
 * once. A failure or a hole pauses it with a doubling backoff; a hole is counted and logged and
 * the missing range asked again, so nothing is ever skipped. Identity hashes (HMAC, one per
 * delta) are computed on a worker. Behind the feed, fetching and hashing the next page overlap
 * the current page's transaction.
 */
public final class DeltaIngestVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaIngestVerticle.class);

  private final RiskDeltasConfig config;
  private final DeltaFeedClient feed;
  private final DeltaRepository repository;
  private final IdentityProtector protector;
  private final PersonKeys personKeys;
  private final AtomicLong lastApplied = new AtomicLong(-1);
  private final AtomicLong ministryLast = new AtomicLong(-1);
  private final AtomicLong lastPageEpochMillis = new AtomicLong();
  private final Counter risky;
  private final Counter cleared;
  private final Counter rejected;
  private final Counter gaps;
  private final Counter failures;
  private volatile String lastProblem = "";
  private volatile boolean stopped;
  private long backoff;
  private long timer = -1;
  /** The next page, fetched and prepared while the current one is applied, and the position it follows (null: none). */
  private Future<Fetched> ahead;
  private long aheadFrom = -1;

  public DeltaIngestVerticle(RiskDeltasConfig config, DeltaFeedClient feed, DeltaRepository repository,
      PersonKeys personKeys, MeterRegistry meters) {
    this.config = config;
    this.feed = feed;
    this.repository = repository;
    this.protector = personKeys.protector();
    this.personKeys = personKeys;
    this.backoff = config.backoffMillis();
    Gauge.builder("gateway_delta_last_applied_seq", lastApplied, AtomicLong::get)
        .description("Sequence number of the last risk delta applied (-1: not read yet)").register(meters);
    Gauge.builder("gateway_delta_lag", this, DeltaIngestVerticle::lag)
        .description("Risk deltas the ministry has that are not applied yet (its last minus ours)").register(meters);
    Gauge.builder("gateway_delta_last_page_seconds", lastPageEpochMillis, millis -> millis.get() / 1000.0)
        .description("Unix time of the last page applied or found empty (0: none yet)").register(meters);
    risky = Counter.builder("gateway_deltas_applied").tag("status", "RISKY")
        .description("Risk deltas applied, by status").register(meters);
    cleared = Counter.builder("gateway_deltas_applied").tag("status", "CLEARED")
        .description("Risk deltas applied, by status").register(meters);
    rejected = Counter.builder("gateway_deltas_rejected")
        .description("Risk deltas whose identity could not be read (recorded in delta_rejects)").register(meters);
    gaps = Counter.builder("gateway_delta_gaps")
        .description("Pages that left out the next delta: the position stopped and the range was asked again").register(meters);
    failures = Counter.builder("gateway_delta_failures")
        .description("Page requests or applications that failed (retried with backoff)").register(meters);
  }

  @Override
  public Future<?> start() {
    return repository.cursor().onSuccess(cursor -> {
      lastApplied.set(cursor.lastApplied());
      schedule(0);
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    feed.close();
    return Future.succeededFuture();
  }

  /** The ingestion state, for the operators' endpoint. */
  public JsonObject state() {
    long last = lastPageEpochMillis.get();
    return new JsonObject()
        .put("lastAppliedSeq", lastApplied.get())
        .put("ministryLastSeq", ministryLast.get())
        .put("lag", (long) lag())
        .put("lastPageAt", last == 0 ? null : Instant.ofEpochMilli(last).toString())
        .put("gaps", (long) gaps.count())
        .put("rejected", (long) rejected.count())
        .put("failures", (long) failures.count())
        .put("lastProblem", lastProblem)
        .put("pageSize", config.pageSize())
        .put("pollMillis", config.pollMillis());
  }

  private double lag() {
    long theirs = ministryLast.get();
    long ours = lastApplied.get();
    return theirs < 0 || ours < 0 ? 0 : Math.max(0, theirs - ours);
  }

  private void schedule(long delayMillis) {
    if (stopped) {
      return;
    }
    if (delayMillis <= 0) {
      vertx.runOnContext(nothing -> poll());
    } else {
      timer = vertx.setTimer(delayMillis, id -> poll());
    }
  }

  /** A page fetched and its run prepared (identities hashed); no prepared run when it is empty. */
  private record Fetched(DeltaPages.Run run, long ministryLast, DeltaRepository.Prepared prepared) {}

  private record Outcome(DeltaPages.Run run, DeltaRepository.Applied applied, long ministryLast) {}

  private Future<Fetched> fetch(long from) {
    return feed.page(from).compose(page -> {
      DeltaPages.Run run = DeltaPages.next(from, page.deltas(), page.last());
      return run.run().isEmpty() ? Future.succeededFuture(new Fetched(run, page.last(), null))
          : vertx.executeBlocking(() -> prepare(from, run.run()), false).map(prepared -> new Fetched(run, page.last(), prepared));
    });
  }

  /**
   * Applies the page after the position. While a page's transaction runs, the next page is
   * fetched and hashed (a clean run that leaves the feed ahead of it tells where the next starts):
   * the three overlap, the transactions still follow each other in order, each with its position.
   * A page fetched ahead for a position the ingestion does not reach (a failure, another node)
   * is dropped.
   */
  private void poll() {
    if (stopped) {
      return;
    }
    long from = lastApplied.get();
    Future<Fetched> fetched = ahead != null && aheadFrom == from ? ahead : fetch(from);
    ahead = null;
    fetched.compose(page -> {
          ministryLast.set(page.ministryLast());
          if (page.prepared() == null) {
            return Future.succeededFuture(new Outcome(page.run(), new DeltaRepository.Applied(from, 0, 0), page.ministryLast()));
          }
          long next = page.run().lastAfter(from);
          if (!page.run().gap() && !page.run().conflicting() && next < page.ministryLast()) {
            aheadFrom = next;
            ahead = fetch(next);
          }
          int readable = (int) page.run().run().stream().filter(delta -> !delta.unreadable()).count();
          return repository.apply(page.prepared(), readable)
              .onSuccess(done -> count(page.run().run()))
              .map(done -> new Outcome(page.run(), done, page.ministryLast()));
        })
        .onSuccess(this::after)
        .onFailure(this::failed);
  }

  private void after(Outcome outcome) {
    lastApplied.set(outcome.applied().lastApplied());
    lastPageEpochMillis.set(System.currentTimeMillis());
    if (outcome.run().conflicting()) {
      failures.increment();
      lastProblem = "the feed sent sequence number " + (outcome.applied().lastApplied() + 1) + " with two contents";
      LOG.error("risk delta feed: {}; asking again", lastProblem);
      retryLater();
      return;
    }
    if (outcome.run().gap()) {
      gaps.increment();
      lastProblem = "hole after sequence number " + outcome.run().gapAfter() + " (ministry last " + outcome.ministryLast() + ")";
      LOG.warn("risk delta feed: {}; asking again from {} in {} ms", lastProblem, lastApplied.get(), backoff);
      retryLater();
      return;
    }
    backoff = config.backoffMillis();
    boolean behind = lastApplied.get() < outcome.ministryLast();
    schedule(behind && !outcome.run().run().isEmpty() ? 0 : config.pollMillis());
  }

  private void failed(Throwable failure) {
    if (failure instanceof DeltaRepository.CursorMoved) {
      // Another node applied the page: take up its position.
      repository.cursor().onComplete(cursor -> {
        if (cursor.succeeded()) {
          lastApplied.set(cursor.result().lastApplied());
        }
        schedule(0);
      });
      return;
    }
    failures.increment();
    lastProblem = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    LOG.warn("risk delta page after {} failed ({}); retry in {} ms", lastApplied.get(), lastProblem, backoff);
    retryLater();
  }

  private void retryLater() {
    long delay = backoff;
    backoff = Math.min(config.maxBackoffMillis(), backoff * 2);
    schedule(delay);
  }

  private void count(List<RiskDelta> run) {
    for (RiskDelta delta : run) {
      if (delta.unreadable()) {
        rejected.increment();
      } else if (delta.risky()) {
        risky.increment();
      } else {
        cleared.increment();
      }
    }
  }

  /**
   * On a worker: one final risk per person (the run is in order, so the last delta wins), hashed
   * under every known key, the identity sealed (so a risk held for a person without a card can be
   * moved to a new hash key; see issue 17).
   */
  private DeltaRepository.Prepared prepare(long from, List<RiskDelta> run) {
    Map<String, Boolean> finalRisk = new LinkedHashMap<>();
    List<Long> rejectedSeqs = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (RiskDelta delta : run) {
      if (delta.unreadable()) {
        rejectedSeqs.add(delta.seq());
        reasons.add("identity is neither a TCKN nor NAT:PASSPORT");
        continue;
      }
      String person = delta.identity().keyName();
      finalRisk.remove(person);
      finalRisk.put(person, delta.risky());
    }
    List<String> people = new ArrayList<>(finalRisk.keySet());
    List<byte[]> sealed = new ArrayList<>(people.size());
    for (String person : people) {
      sealed.add(protector.encrypt(person));
    }
    return new DeltaRepository.Prepared(from, run.get(run.size() - 1).seq(), personKeys.peopleHashes(people), sealed,
        new ArrayList<>(finalRisk.values()), rejectedSeqs, reasons);
  }
}
