package istanbul.hes.points;

import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PhoneNumber;

/**
 * What a confirmed holder check lets an agent do: act for this person on this card, with this
 * phone verified by the code the holder read out. Personal data: never printed.
 */
record HolderSession(long card, PersonIdentity identity, PhoneNumber phone, String agentId, String pointId) {
  @Override
  public String toString() {
    return "HolderSession[***]";
  }
}
