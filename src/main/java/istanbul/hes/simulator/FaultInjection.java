package istanbul.hes.simulator;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link Faults} a simulator applies to the requests of its service (never to its operator
 * endpoints), and the count of those requests. Two route handlers: {@link #beforeReading}
 * (count, then {@code down}) goes before the body handler, {@link #afterReading} (slow, then
 * reset or 5xx) after it.
 */
public final class FaultInjection {
  private final AtomicReference<Faults> faults = new AtomicReference<>(Faults.NONE);
  private final AtomicInteger error5xxRemaining = new AtomicInteger(-1);
  private final AtomicLong requests = new AtomicLong();

  public void set(Faults newFaults) {
    error5xxRemaining.set(newFaults.error5xxCount());
    faults.set(newFaults);
  }

  public void clear() {
    set(Faults.NONE);
  }

  public Faults current() {
    return faults.get();
  }

  /** Service requests received, faulted ones included. */
  public long requestCount() {
    return requests.get();
  }

  public void resetRequestCount() {
    requests.set(0);
  }

  /** Counts a service request refused before it is handled (e.g. bad credentials). */
  public void countRefused() {
    requests.incrementAndGet();
  }

  /** Counts the request, then applies the fault that comes before reading it: down. */
  public void beforeReading(RoutingContext context) {
    requests.incrementAndGet();
    if (faults.get().down()) {
      context.request().connection().close();
      return;
    }
    context.next();
  }

  /** The faults that come after the request was read: slow (a timer, never a blocked loop), then reset or 5xx. */
  public void afterReading(Vertx vertx, RoutingContext context) {
    Faults current = faults.get();
    if (current.slowMillis() > 0) {
      // Processed even when the client gave up meanwhile, as a real server would: a slow ministry
      // may well store a report whose answer the gateway never saw.
      vertx.setTimer(current.slowMillis(), timer -> afterDelay(context, current));
      return;
    }
    afterDelay(context, current);
  }

  private void afterDelay(RoutingContext context, Faults current) {
    if (current.reset()) {
      context.request().connection().close();
      return;
    }
    if (current.error5xxProbability() > 0 && takeError5xx(current)) {
      if (context.response().closed()) {
        return;
      }
      context.response().setStatusCode(current.error5xxStatus()).putHeader("Content-Type", "text/plain").end("simulated failure");
      return;
    }
    context.next();
  }

  private boolean takeError5xx(Faults current) {
    if (ThreadLocalRandom.current().nextDouble() >= current.error5xxProbability()) {
      return false;
    }
    if (current.error5xxCount() < 0) {
      return true;
    }
    return error5xxRemaining.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
  }
}
