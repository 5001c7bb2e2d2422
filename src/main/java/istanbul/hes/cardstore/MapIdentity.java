package istanbul.hes.cardstore;

import java.util.ArrayList;
import java.util.List;

/**
 * What a map file caches: the cards of one schema of one database of one PostgreSQL cluster, of
 * one installation (the id the migrations created once). A map recorded with another identity
 * holds another database's cards and versions; its change-log position means nothing here.
 * None of these values is secret: the cluster's system identifier, names and a random id.
 */
record MapIdentity(String systemIdentifier, String database, String schema, String installationId) {

  /** The parts that differ from {@code actual}, named with both values; empty when none does. */
  List<String> differencesFrom(MapIdentity actual) {
    List<String> differences = new ArrayList<>();
    differ(differences, "PostgreSQL cluster (system identifier)", systemIdentifier, actual.systemIdentifier);
    differ(differences, "database", database, actual.database);
    differ(differences, "schema", schema, actual.schema);
    differ(differences, "installation id", installationId, actual.installationId);
    return differences;
  }

  private static void differ(List<String> differences, String part, String recorded, String actual) {
    if (recorded == null || !recorded.equals(actual)) {
      differences.add(part + " " + recorded + " in the map, " + actual + " in the database");
    }
  }
}
