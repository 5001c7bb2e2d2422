package istanbul.hes.demo;

import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.config.AnonymousPolicy;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.tap.Reason;
import istanbul.hes.tap.TapOutcome;
import java.time.LocalDate;

/**
 * The synthetic card population of the demo and the load tests, as pure functions of the card
 * index {@code i} (0 ≤ i < {@link #MAX_CARDS}) and {@link #SEED}. Nothing is random at run
 * time: the generator, the load tests and the tests all derive the same card number, holder and
 * expected tap decision from the index, so a load test can pick cards of each class without
 * asking the database.
 *
 * <p>The mix follows Istanbul's numbers: 24.11 % of cards personalized (8,260,087 of
 * 34,260,087), 3 % of holders foreigners with a passport; of the personalized cards 80 % have a
 * valid HES code linked, 7 % an expired one and 13 % none; 2 % of holders are risky (and 1 %
 * were and have been cleared); 0.5 % of
 * all cards are blocked by an operator. Expired codes expired in 2021, valid ones expire from
 * 2035 on (30 % never), so the expected classes hold until 2035.
 *
 * <p>Card numbers grow with the index, with a random gap between neighbours
 * ({@code 4000 0000 0000 0000 + i * 25,000 + jitter}): they look random, are unique, map back
 * to their index ({@link #indexOf}) and, being ascending, load into PostgreSQL's primary key in
 * order, which is what makes generating 34 million cards take minutes rather than hours.
 *
 * <p>The identity numbers, names, phones and HES codes below are synthetic but are personal data
 * in form: the generator stores them only encrypted and never prints them.
 */
public final class DemoPopulation {
  /** Seed of every per-card draw. */
  public static final long SEED = 0x4845_5344_454D_4F31L;
  /** Most cards the numbering supports (Istanbul has 34,260,087). */
  public static final long MAX_CARDS = 40_000_000L;
  public static final long FIRST_CARD_NUMBER = 4_000_000_000_000_000L;
  private static final long STRIDE = 1_000_000_000_000L / MAX_CARDS;

  // Shares in basis points (1/10,000).
  static final int PERSONALIZED_BP = 2_411;
  static final int BLOCKED_BP = 50;
  static final int FOREIGNER_BP = 300;
  static final int RISKY_BP = 200;
  static final int CLEARED_BP = 100;
  static final int HES_VALID_BP = 8_000;
  static final int HES_EXPIRED_BP = 700;
  static final int NO_EXPIRY_BP = 3_000;

  /** HES codes "without expiry" get the ministry's far-future date. */
  public static final LocalDate NO_EXPIRY_DATE = LocalDate.of(9999, 12, 31);
  private static final long VALID_FROM_DAY = LocalDate.of(2035, 1, 1).toEpochDay();
  private static final long EXPIRED_FROM_DAY = LocalDate.of(2021, 1, 1).toEpochDay();

  private static final long SALT_CARD = 1;
  private static final long SALT_PERSONALIZED = 2;
  private static final long SALT_BLOCKED = 3;
  private static final long SALT_FOREIGNER = 4;
  private static final long SALT_RISKY = 5;
  private static final long SALT_HES = 6;
  private static final long SALT_EXPIRY = 7;
  private static final long SALT_NAMES = 8;
  private static final long SALT_PHONE = 9;
  private static final long SALT_HES_LETTERS = 10;
  private static final long SALT_BLOCK_REASON = 11;

  private static final String[] FIRST_NAMES = {
      "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra", "Sultan",
      "Hanife", "Merve", "Özlem", "Büşra", "Gülşen", "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin",
      "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf", "Murat", "Ömer", "Ramazan", "Halil", "Süleyman",
      "Emre", "Burak", "Çağlar", "Deniz", "Ege", "Kerem"};
  private static final String[] LAST_NAMES = {
      "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
      "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek",
      "Polat", "Özcan", "Korkmaz", "Çakır", "Erdoğan", "Yavuz", "Can", "Acar", "Güneş", "Aksoy"};
  private static final String[] FOREIGN_FIRST_NAMES = {
      "Anna", "Maria", "Olga", "Sara", "Layla", "Emma", "John", "Ivan", "Omar", "Ahmad", "Lukas", "David"};
  private static final String[] FOREIGN_LAST_NAMES = {
      "Müller", "Smith", "Ivanova", "Haddad", "Karimi", "Aliyev", "Schmidt", "Jones", "Petrov", "Rahimi"};
  private static final String[] NATIONALITIES = {
      "SYR", "IRN", "AZE", "RUS", "UKR", "IRQ", "AFG", "DEU", "GBR", "USA", "FRA", "NLD"};
  private static final String[] BLOCK_REASONS = {"LOST", "STOLEN", "FRAUD", "DAMAGED"};

  private DemoPopulation() {}

  /** The class of tap answer a card gets, given how it was generated. */
  public enum Profile {
    ALLOW(Reason.OK, TapOutcome.Decision.ALLOW),
    HES_RISK(Reason.HES_RISK, TapOutcome.Decision.DENY),
    NO_HES_CODE(Reason.NO_HES_CODE, TapOutcome.Decision.DENY),
    HES_EXPIRED(Reason.HES_EXPIRED, TapOutcome.Decision.DENY),
    NOT_PERSONALIZED(Reason.NOT_PERSONALIZED, TapOutcome.Decision.DENY),
    CARD_BLOCKED(Reason.CARD_BLOCKED, TapOutcome.Decision.DENY);

    private final Reason reason;
    private final TapOutcome.Decision decision;

    Profile(Reason reason, TapOutcome.Decision decision) {
      this.reason = reason;
      this.decision = decision;
    }

    /** The reason of the answer, with the default anonymous policy (DENY). */
    public Reason reason() {
      return reason;
    }

    public TapOutcome.Decision decision() {
      return decision;
    }

    /** The reason under a given anonymous policy (ALLOW turns NOT_PERSONALIZED into OK). */
    public Reason reason(AnonymousPolicy policy) {
      return this == NOT_PERSONALIZED && policy == AnonymousPolicy.ALLOW ? Reason.OK : reason;
    }

    public TapOutcome.Decision decision(AnonymousPolicy policy) {
      return this == NOT_PERSONALIZED && policy == AnonymousPolicy.ALLOW ? TapOutcome.Decision.ALLOW : decision;
    }
  }

  /** State of the HES link of a personalized card. */
  public enum HesState {
    NONE,
    VALID,
    EXPIRED
  }

  /** Everything that decides a card's tap answer (no personal data). */
  public record DemoCard(
      long index, long cardNumber, boolean personalized, boolean foreigner, boolean blocked, boolean risky,
      HesState hes, LocalDate hesExpiresOn) {
    public Profile profile() {
      return DemoPopulation.profile(index);
    }
  }

  // ---- card numbers ----------------------------------------------------------------------

  /** The 16-digit card number of card {@code i}; ascending in {@code i}. */
  public static long cardNumber(long i) {
    checkIndex(i);
    return FIRST_CARD_NUMBER + i * STRIDE + Long.remainderUnsigned(draw(i, SALT_CARD), STRIDE);
  }

  /** The index of a demo card number, or -1 when the number is not one of the demo's. */
  public static long indexOf(long cardNumber) {
    long offset = cardNumber - FIRST_CARD_NUMBER;
    if (offset < 0 || offset >= MAX_CARDS * STRIDE) {
      return -1;
    }
    long i = offset / STRIDE;
    return cardNumber(i) == cardNumber ? i : -1;
  }

  /** First index {@code >= from} and {@code < cards} whose profile is {@code wanted}, or -1. */
  public static long find(Profile wanted, long from, long cards) {
    for (long i = Math.max(0, from); i < cards; i++) {
      if (profile(i) == wanted) {
        return i;
      }
    }
    return -1;
  }

  // ---- decision inputs -------------------------------------------------------------------

  public static boolean personalized(long i) {
    return basisPoints(i, SALT_PERSONALIZED) < PERSONALIZED_BP;
  }

  public static boolean blocked(long i) {
    return basisPoints(i, SALT_BLOCKED) < BLOCKED_BP;
  }

  /** Holder identifies with a passport (only meaningful when personalized). */
  public static boolean foreigner(long i) {
    return personalized(i) && basisPoints(i, SALT_FOREIGNER) < FOREIGNER_BP;
  }

  /** The holder is risky (only personalized cards have a holder). */
  public static boolean risky(long i) {
    return personalized(i) && basisPoints(i, SALT_RISKY) < RISKY_BP;
  }

  /** The holder was risky once and has been cleared: a person_risk row saying not risky. */
  public static boolean cleared(long i) {
    if (!personalized(i)) {
      return false;
    }
    int bp = basisPoints(i, SALT_RISKY);
    return bp >= RISKY_BP && bp < RISKY_BP + CLEARED_BP;
  }

  public static HesState hes(long i) {
    if (!personalized(i)) {
      return HesState.NONE;
    }
    int bp = basisPoints(i, SALT_HES);
    if (bp < HES_VALID_BP) {
      return HesState.VALID;
    }
    return bp < HES_VALID_BP + HES_EXPIRED_BP ? HesState.EXPIRED : HesState.NONE;
  }

  /** Epoch day of the linked HES code's expiry; only meaningful when {@link #hes} is not NONE. */
  public static long hesExpiresOnDay(long i) {
    long draw = draw(i, SALT_EXPIRY);
    if (hes(i) == HesState.EXPIRED) {
      return EXPIRED_FROM_DAY + Long.remainderUnsigned(draw, 365);
    }
    if (Long.remainderUnsigned(draw, 10_000) < NO_EXPIRY_BP) {
      return NO_EXPIRY_DATE.toEpochDay();
    }
    return VALID_FROM_DAY + Long.remainderUnsigned(draw >>> 20, 3_650);
  }

  /** The expected tap class, in the order the tap rule applies (block, anonymous, risk, HES). */
  public static Profile profile(long i) {
    checkIndex(i);
    if (blocked(i)) {
      return Profile.CARD_BLOCKED;
    }
    if (!personalized(i)) {
      return Profile.NOT_PERSONALIZED;
    }
    if (risky(i)) {
      return Profile.HES_RISK;
    }
    return switch (hes(i)) {
      case NONE -> Profile.NO_HES_CODE;
      case EXPIRED -> Profile.HES_EXPIRED;
      case VALID -> Profile.ALLOW;
    };
  }

  public static DemoCard card(long i) {
    HesState hes = hes(i);
    return new DemoCard(i, cardNumber(i), personalized(i), foreigner(i), blocked(i), risky(i), hes,
        hes == HesState.NONE ? null : LocalDate.ofEpochDay(hesExpiresOnDay(i)));
  }

  // ---- holder data (synthetic personal data: store encrypted, never print) -----------------

  /** Owner row id of a personalized card: one holder per personalized card. */
  public static long ownerId(long i) {
    return i + 1;
  }

  /** An 11-digit Turkish identity number with a valid checksum, unique per index. */
  public static String tckn(long i) {
    checkIndex(i);
    // A bijection of [0, 9e8): the multiplier is coprime to 9e8 (= 2^8 3^2 5^8).
    long first9 = 100_000_000L + Math.floorMod(i * 7_654_321L + 13_579_246L, 900_000_000L);
    return Tckn.fromFirstNine(first9).value();
  }

  /** A passport number, unique per index. */
  public static String passportNumber(long i) {
    checkIndex(i);
    return "U" + eightDigits(Math.floorMod(i * 13_131_317L + 24_680_135L, 100_000_000L));
  }

  /** ISO 3166-1 alpha-3 nationality of a foreign holder. */
  public static String nationality(long i) {
    return NATIONALITIES[(int) Long.remainderUnsigned(draw(i, SALT_FOREIGNER) >>> 32, NATIONALITIES.length)];
  }

  /** The holder as a citizen token's subject: {@code TCKN:<11 digits>} or {@code PASSPORT:<NAT>:<number>}. */
  public static String identityKey(long i) {
    return foreigner(i) ? LookupKeys.passportIdentity(nationality(i), passportNumber(i)) : LookupKeys.tcknIdentity(tckn(i));
  }

  /** The holder as the Ministry of Health's delta feed names them: the TCKN, or {@code <NAT>:<passport>}. */
  public static String feedIdentity(long i) {
    return foreigner(i) ? nationality(i) + ":" + passportNumber(i) : tckn(i);
  }

  public static String firstName(long i) {
    String[] names = foreigner(i) ? FOREIGN_FIRST_NAMES : FIRST_NAMES;
    return names[(int) Long.remainderUnsigned(draw(i, SALT_NAMES), names.length)];
  }

  public static String lastName(long i) {
    String[] names = foreigner(i) ? FOREIGN_LAST_NAMES : LAST_NAMES;
    return names[(int) Long.remainderUnsigned(draw(i, SALT_NAMES) >>> 32, names.length)];
  }

  public static String phone(long i) {
    long draw = draw(i, SALT_PHONE);
    return "+905" + (30 + Long.remainderUnsigned(draw, 30)) + String.format("%07d", Long.remainderUnsigned(draw >>> 16, 10_000_000));
  }

  public static int birthYear(long i) {
    return 1940 + (int) Long.remainderUnsigned(draw(i, SALT_PHONE) >>> 48, 66);
  }

  /**
   * The 10-character HES code linked to card {@code i} (letter, digit, letter, then seven digits),
   * unique per index: its eight digits are a bijection of the index.
   */
  public static String hesCode(long i) {
    checkIndex(i);
    String digits = eightDigits(Math.floorMod(i * 31_415_927L + 27_182_818L, 100_000_000L));
    long letters = draw(i, SALT_HES_LETTERS);
    char first = (char) ('A' + Long.remainderUnsigned(letters, 26));
    char second = (char) ('A' + Long.remainderUnsigned(letters >>> 32, 26));
    return new StringBuilder(10).append(first).append(digits.charAt(0)).append(second).append(digits, 1, 8).toString();
  }

  /**
   * A second code of the holder of card {@code i} (the ministry issues a person new codes): the
   * first letter of {@link #hesCode} moved 13 places, so it differs from it and, its digits being
   * card {@code i}'s, from every other card's codes. Linked to no card in the population; what
   * the demo's citizens update their link to.
   */
  public static String alternateHesCode(long i) {
    String code = hesCode(i);
    return (char) ('A' + (code.charAt(0) - 'A' + 13) % 26) + code.substring(1);
  }

  public static String blockReason(long i) {
    return BLOCK_REASONS[(int) Long.remainderUnsigned(draw(i, SALT_BLOCK_REASON), BLOCK_REASONS.length)];
  }

  // ---- draws -----------------------------------------------------------------------------

  /** A well-mixed 64-bit value from (seed, salt, index): SplitMix64's finalizer. */
  static long draw(long i, long salt) {
    long z = SEED + salt * 0x9E3779B97F4A7C15L + i * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int basisPoints(long i, long salt) {
    return (int) Long.remainderUnsigned(draw(i, salt), 10_000);
  }

  private static String eightDigits(long value) {
    String digits = Long.toString(value);
    return "00000000".substring(digits.length()) + digits;
  }

  private static void checkIndex(long i) {
    if (i < 0 || i >= MAX_CARDS) {
      throw new IllegalArgumentException("card index must be in [0, " + MAX_CARDS + "), was " + i);
    }
  }
}
