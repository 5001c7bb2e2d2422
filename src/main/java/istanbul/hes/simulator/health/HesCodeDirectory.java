package istanbul.hes.simulator.health;

import java.util.List;
import java.util.Optional;

/**
 * HES codes the simulated ministry knows without holding them in memory: a generated population
 * (the demo's millions of holders) answers by computation. Codes registered through the simulator's
 * API take precedence; removing or re-rating one of these codes overrides it there.
 */
public interface HesCodeDirectory {
  /** Knows no code. */
  HesCodeDirectory NONE = new HesCodeDirectory() {
    @Override
    public Optional<HesCodeRecord> find(String hesCode) {
      return Optional.empty();
    }

    @Override
    public List<HesCodeRecord> ofPerson(String identityNumber) {
      return List.of();
    }
  };

  /** The record of an upper-case code, if the directory has one. */
  Optional<HesCodeRecord> find(String hesCode);

  /** Every code of the holder with this identity number (TCKN or passport number). */
  List<HesCodeRecord> ofPerson(String identityNumber);
}
