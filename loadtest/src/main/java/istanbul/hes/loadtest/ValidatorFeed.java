package istanbul.hes.loadtest;

import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.demo.DemoPopulation.Profile;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the Gatling validators' feed ({@code card,reason}): taps in the mix a metro gate sees
 * once personalization is under way, drawn from the demo population, each with the answer the
 * gateway must give: 86 % allowed, 5 % anonymous cards, 4 % no HES code, 3 % expired codes, 1 %
 * risky holders (recorded for the Ministry of Interior), 1 % blocked cards.
 *
 * <pre>java -cp … istanbul.hes.loadtest.ValidatorFeed --cards N --count M --out FILE [--risk-percent P]</pre>
 *
 * {@code --risk-percent 0}: the 1 % of risky holders are allowed cards instead, the same rate
 * without a single denial waiting for its record, to compare the others' latency with;
 * {@code --risk-percent 100}: risky holders only (the denials' own latency at a given rate).
 */
public final class ValidatorFeed {
  private static final Map<Profile, Integer> PERCENT = new EnumMap<>(Map.of(
      Profile.ALLOW, 86, Profile.NOT_PERSONALIZED, 5, Profile.NO_HES_CODE, 4, Profile.HES_EXPIRED, 3, Profile.HES_RISK, 1,
      Profile.CARD_BLOCKED, 1));

  private ValidatorFeed() {}

  public static void main(String[] args) throws Exception {
    long cards = 1_000_000;
    int count = 100_000;
    Path out = Path.of("loadtest", "target", "validators.csv");
    int riskPercent = PERCENT.get(Profile.HES_RISK);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--count" -> count = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--risk-percent" -> riskPercent = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Map<Profile, List<Long>> byProfile = new EnumMap<>(Profile.class);
    PERCENT.keySet().forEach(profile -> byProfile.put(profile, new ArrayList<>()));
    for (long i = 0; i < cards; i++) {
      List<Long> bucket = byProfile.get(DemoPopulation.profile(i));
      if (bucket != null && bucket.size() < count) {
        bucket.add(DemoPopulation.cardNumber(i));
      }
    }
    if (riskPercent < 0 || riskPercent > 100) {
      throw new IllegalArgumentException("--risk-percent must be 0 to 100");
    }
    SplittableRandom random = new SplittableRandom(20261121);
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write("card,reason\n");
      for (int n = 0; n < count; n++) {
        Profile drawn = pick(random.nextInt(100));
        // The mix's own 1 % of risk becomes allowed taps, the wanted share of risk replaces its share of the rest.
        Profile profile = random.nextInt(100) < riskPercent ? Profile.HES_RISK : drawn == Profile.HES_RISK ? Profile.ALLOW : drawn;
        List<Long> bucket = byProfile.get(profile);
        writer.write(CardNumber.format(bucket.get(random.nextInt(bucket.size()))) + "," + profile.reason().name() + "\n");
      }
    }
    System.out.println("wrote " + count + " taps to " + out);
  }

  private static Profile pick(int percentile) {
    int sum = 0;
    for (Map.Entry<Profile, Integer> entry : PERCENT.entrySet()) {
      sum += entry.getValue();
      if (percentile < sum) {
        return entry.getKey();
      }
    }
    return Profile.ALLOW;
  }
}
