package istanbul.hes.cardstore;

import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * A process that only writes the map, to be killed by {@link ProcessCrashRecoveryTest}: two
 * threads rewrite every card, round after round (a round's version on each card), with the node's
 * write marks. Prints {@code round N} each time a thread finishes one (the threads run at their
 * own pace: one can be rounds ahead of another).
 * Arguments: map file, cards, first round.
 */
public final class MapWriterProcess {
  static final long FIRST_CARD = 4_000_000_000_000_000L;
  static final int THREADS = 2;

  private MapWriterProcess() {}

  public static void main(String[] args) throws Exception {
    Path mapPath = Path.of(args[0]);
    int cards = Integer.parseInt(args[1]);
    long firstRound = Long.parseLong(args[2]);
    CardMapFile file = CardMapFile.lock(mapPath, cards);
    ChronicleMap<CardKey, CardStatus> chronicle = Files.exists(mapPath) ? file.openExisting() : file.createFresh();
    CardStatusMap map = new CardStatusMap();
    map.install(chronicle, SegmentWriteMarks.start(file.marksFile(), chronicle.segments(), file.identityHash()));
    for (int thread = 0; thread < THREADS; thread++) {
      int own = thread;
      Thread writer = new Thread(() -> {
        CardStatus status = new CardStatus();
        for (long round = firstRound; ; round++) {
          status.set(round, round % 2 == 0, round % 3 == 0, true, 20_000 + (int) (round % 1000), round % 5 == 0);
          for (int card = own; card < cards; card += THREADS) {
            map.applyIfNewer(FIRST_CARD + card, status);
          }
          System.out.println("round " + round);
          System.out.flush();
        }
      }, "writer-" + thread);
      writer.start();
    }
  }
}
