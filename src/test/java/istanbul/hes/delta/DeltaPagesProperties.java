package istanbul.hes.delta;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.Tckn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Whatever a feed does to its pages (duplicates, replays, reordering, holes, short pages), applying
 * the runs {@link DeltaPages} allows ends in exactly the state of applying the feed once in
 * order, with every delta applied exactly once.
 */
class DeltaPagesProperties {

  @Property(tries = 1000)
  void anyMisbehavingDeliveryEndsInTheInOrderState(
      @ForAll @IntRange(min = 0, max = 300) int deltas,
      @ForAll @IntRange(min = 1, max = 40) int people,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    Random random = new Random(seed);
    List<PersonIdentity> persons = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      persons.add(Tckn.fromFirstNine(100_000_000L + 7_919L * i));
    }
    List<RiskDelta> feed = new ArrayList<>();
    for (int seq = 1; seq <= deltas; seq++) {
      feed.add(new RiskDelta(seq, persons.get(random.nextInt(people)), random.nextBoolean()));
    }
    Map<String, Boolean> expected = new HashMap<>();
    feed.forEach(delta -> expected.put(delta.identity().keyName(), delta.risky()));

    Map<String, Boolean> state = new HashMap<>();
    int[] applications = new int[deltas + 1];
    long cursor = 0;
    int pages = 0;
    while (cursor < deltas) {
      assertThat(++pages).as("progress").isLessThan(20 * deltas + 100);
      List<RiskDelta> page = misbehavingPage(feed, cursor, random);
      DeltaPages.Run run = DeltaPages.next(cursor, page, deltas);
      assertThat(run.conflicting()).isFalse();
      long previous = cursor;
      for (RiskDelta delta : run.run()) {
        assertThat(delta.seq()).isEqualTo(++previous);
        state.put(delta.identity().keyName(), delta.risky());
        applications[(int) delta.seq()]++;
      }
      cursor = run.lastAfter(cursor);
    }
    assertThat(state).isEqualTo(expected);
    for (int seq = 1; seq <= deltas; seq++) {
      assertThat(applications[seq]).as("applications of delta %d", seq).isEqualTo(1);
    }
    // Once caught up, any page of old deltas changes nothing.
    DeltaPages.Run late = DeltaPages.next(cursor, misbehavingPage(feed, Math.max(0, cursor - 10), random), deltas);
    assertThat(late.run()).isEmpty();
    assertThat(late.gap()).isFalse();
  }

  /** A page asked "after cursor", as a misbehaving feed serves it. */
  private static List<RiskDelta> misbehavingPage(List<RiskDelta> feed, long cursor, Random random) {
    long start = cursor;
    if (random.nextInt(4) == 0) {
      start = Math.max(0, cursor - random.nextInt(20)); // a replay
    }
    int limit = 1 + random.nextInt(25);
    List<RiskDelta> page = new ArrayList<>(feed.subList((int) Math.min(start, feed.size()), (int) Math.min(feed.size(), start + limit)));
    if (page.size() > 1 && random.nextInt(4) == 0) {
      page.remove(random.nextInt(page.size())); // a hole, in this answer only
    }
    int duplicates = random.nextInt(3);
    for (int i = 0; i < duplicates && !page.isEmpty(); i++) {
      page.add(page.get(random.nextInt(page.size())));
    }
    if (random.nextBoolean()) {
      Collections.shuffle(page, random);
    }
    return page;
  }

  @Property(tries = 200)
  void aSequenceNumberServedWithTwoContentsStopsTheRunBeforeIt(@ForAll @IntRange(min = 2, max = 50) int at) {
    PersonIdentity someone = Tckn.fromFirstNine(123_456_789L);
    List<RiskDelta> page = new ArrayList<>();
    for (int seq = 1; seq <= 60; seq++) {
      page.add(new RiskDelta(seq, someone, true));
    }
    page.add(new RiskDelta(at, someone, false));
    DeltaPages.Run run = DeltaPages.next(0, page, 60);
    assertThat(run.conflicting()).isTrue();
    assertThat(run.lastAfter(0)).isEqualTo(at - 1);
  }
}
