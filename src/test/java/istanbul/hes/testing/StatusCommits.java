package istanbul.hes.testing;

import io.vertx.core.Future;
import istanbul.hes.cardstore.StatusTransaction;
import java.util.function.Function;

/**
 * How a test fixture commits card changes: as another node of the cluster whose commits a running
 * node must serve before the call returns ({@link TestNode#commitAsPeer}), or offline, to PostgreSQL
 * and the change log only, as while no node runs ({@link TestEnvironment#offlineSeeder()}).
 */
public interface StatusCommits {
  /** Runs {@code work} in one transaction and returns its result once committed (and served, where that applies). */
  <T> T commit(Function<StatusTransaction, Future<T>> work);
}
