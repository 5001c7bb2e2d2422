package istanbul.hes.config;

/**
 * How long each kind of personal record is kept once its purpose has ended (KVKK), in days (0:
 * kept until erased), and the purge that deletes what expired: every {@code purgeIntervalSeconds}
 * (0: not on this node), {@code purgeBatchRows} rows per statement. {@code ruleLiftedDays}: once
 * the rule's phase for personalized cards has been OFF this long, HES links, HES check results and
 * risk records are purged (0: never).
 */
public record PersonalDataConfig(int deliveredReportsDays, int deadLettersDays, int auditDays, int agentActionsDays,
    int leftPeopleDays, int closedContactsDays, int unpersonalizedLinksDays, int ruleLiftedDays, int purgeIntervalSeconds,
    int purgeBatchRows) {
  private static final int TEN_YEARS = 3_653;

  static PersonalDataConfig from(ConfigSource source) {
    return new PersonalDataConfig(
        source.integer("personalData.deliveredReportsDays", 0, TEN_YEARS),
        source.integer("personalData.deadLettersDays", 0, TEN_YEARS),
        source.integer("personalData.auditDays", 0, TEN_YEARS),
        source.integer("personalData.agentActionsDays", 0, TEN_YEARS),
        source.integer("personalData.leftPeopleDays", 0, TEN_YEARS),
        source.integer("personalData.closedContactsDays", 0, TEN_YEARS),
        source.integer("personalData.unpersonalizedLinksDays", 0, TEN_YEARS),
        source.integer("personalData.ruleLiftedDays", 0, TEN_YEARS),
        source.integer("personalData.purgeIntervalSeconds", 0, 7 * 86_400),
        source.integer("personalData.purgeBatchRows", 1, 100_000));
  }
}
