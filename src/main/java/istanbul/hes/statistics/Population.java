package istanbul.hes.statistics;

import java.time.Instant;

/** The cards as they stood on a day (a final snapshot), or as they stand today ({@code live}). */
record Population(boolean live, Instant takenAt, long cards, long personalized, long hesLinked, long hesExpired,
    long riskyHolders, long suspendedCards, long blocked) {
  long anonymous() {
    return cards - personalized;
  }
}
