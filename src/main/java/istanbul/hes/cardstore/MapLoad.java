package istanbul.hes.cardstore;

import java.time.Duration;

/** What loading the map at start did, for logs, metrics and readiness. */
public record MapLoad(Mode mode, String why, long entries, long repaired, long caughtUp, Duration took) {
  public enum Mode {
    /** The file was closed cleanly: reopened, then brought up to date from the change log. */
    WARM,
    /**
     * The file was left by a crash: after the process's own, the segments it was writing recovered
     * and the change log replayed; after any other, the whole file recovered and every card checked
     * against PostgreSQL ({@code why} says which).
     */
    RECOVERED,
    /** No usable file: built from PostgreSQL. */
    REBUILT
  }
}
