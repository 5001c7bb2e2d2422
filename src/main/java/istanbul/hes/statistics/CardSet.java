package istanbul.hes.statistics;

/** The sets of cards kept per day; the ids are the {@code card_set} column's values. */
enum CardSet {
  /** Every card that tapped. */
  TAPPED(0),
  /** Cards that tapped while personalized. */
  TAPPED_PERSONALIZED(1),
  /** Cards denied for HES_RISK: the people the Ministry of Interior hears about. */
  DENIED_HES_RISK(2);

  static final CardSet[] ALL = values();

  final short id;

  CardSet(int id) {
    this.id = (short) id;
  }
}
