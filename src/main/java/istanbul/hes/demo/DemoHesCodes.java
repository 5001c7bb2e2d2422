package istanbul.hes.demo;

import istanbul.hes.demo.DemoPopulation.HesState;
import istanbul.hes.simulator.health.HesCodeDirectory;
import istanbul.hes.simulator.health.HesCodeRecord;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The Ministry of Health's view of the demo population, computed instead of stored: every
 * personalized demo holder has the code {@link DemoPopulation#hesCode} (linked to their card or
 * not, so a holder without a linked code can link theirs) and a second one,
 * {@link DemoPopulation#alternateHesCode} (to update a link to); RISKY when the holder is risky,
 * expired when the population's link is expired. {@link DemoPopulation}'s numbering functions are
 * bijections, so a code or an identity number leads back to its card index.
 */
public final class DemoHesCodes implements HesCodeDirectory {
  private static final long HUNDRED_MILLION = 100_000_000L;
  private static final long NINE_HUNDRED_MILLION = 900_000_000L;
  private static final long HES_INVERSE = inverse(31_415_927L, HUNDRED_MILLION);
  private static final long PASSPORT_INVERSE = inverse(13_131_317L, HUNDRED_MILLION);
  private static final long TCKN_INVERSE = inverse(7_654_321L, NINE_HUNDRED_MILLION);

  private final long cards;

  public DemoHesCodes(long cards) {
    this.cards = cards;
  }

  @Override
  public Optional<HesCodeRecord> find(String hesCode) {
    if (hesCode.length() != 10 || !isLetter(hesCode.charAt(0)) || !isLetter(hesCode.charAt(2))) {
      return Optional.empty();
    }
    String digits = hesCode.charAt(1) + hesCode.substring(3);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    long index = Math.floorMod(multiply(Long.parseLong(digits) - 27_182_818L, HES_INVERSE, HUNDRED_MILLION), HUNDRED_MILLION);
    return holder(index).flatMap(i -> DemoPopulation.hesCode(i).equals(hesCode) || DemoPopulation.alternateHesCode(i).equals(hesCode)
        ? Optional.of(record(i, hesCode)) : Optional.empty());
  }

  @Override
  public List<HesCodeRecord> ofPerson(String identityNumber) {
    long index;
    if (identityNumber.length() == 11 && identityNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long first9 = Long.parseLong(identityNumber.substring(0, 9));
      index = Math.floorMod(multiply(first9 - 100_000_000L - 13_579_246L, TCKN_INVERSE, NINE_HUNDRED_MILLION), NINE_HUNDRED_MILLION);
    } else if (identityNumber.length() == 9 && identityNumber.charAt(0) == 'U'
        && identityNumber.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
      long digits = Long.parseLong(identityNumber.substring(1));
      index = Math.floorMod(multiply(digits - 24_680_135L, PASSPORT_INVERSE, HUNDRED_MILLION), HUNDRED_MILLION);
    } else {
      return List.of();
    }
    return holder(index).filter(i -> identityNumber(i).equals(identityNumber))
        .map(i -> List.of(record(i, DemoPopulation.hesCode(i)), record(i, DemoPopulation.alternateHesCode(i))))
        .orElse(List.of());
  }

  /** The index if it is a personalized card of this population. */
  private Optional<Long> holder(long index) {
    return index >= 0 && index < cards && DemoPopulation.personalized(index) ? Optional.of(index) : Optional.empty();
  }

  static String identityNumber(long i) {
    return DemoPopulation.foreigner(i) ? DemoPopulation.passportNumber(i) : DemoPopulation.tckn(i);
  }

  static HesCodeRecord record(long i, String code) {
    // An unlinked holder's code is valid: the population's expiry rule for valid links gives its date.
    LocalDate expiresOn = LocalDate.ofEpochDay(DemoPopulation.hesExpiresOnDay(i));
    return new HesCodeRecord(code, identityNumber(i), DemoPopulation.firstName(i), DemoPopulation.lastName(i),
        DemoPopulation.risky(i) ? HesCodeRecord.Status.RISKY : HesCodeRecord.Status.RISKLESS,
        DemoPopulation.hes(i) == HesState.EXPIRED || expiresOn.getYear() < 9000 ? expiresOn.atStartOfDay() : HesCodeRecord.NO_EXPIRY);
  }

  private static boolean isLetter(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static long multiply(long a, long b, long modulus) {
    return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(BigInteger.valueOf(modulus)).longValueExact();
  }

  private static long inverse(long value, long modulus) {
    return BigInteger.valueOf(value).modInverse(BigInteger.valueOf(modulus)).longValueExact();
  }
}
