package istanbul.hes.hotlist;

/**
 * One hotlist answer: the full list ({@code since} null: {@code added} holds every denied card)
 * or the changes since a version (cards to add, cards to remove). Card numbers ascending.
 */
record Hotlist(HotlistVersion version, HotlistVersion since, long[] added, long[] removed) {
  boolean full() {
    return since == null;
  }
}
