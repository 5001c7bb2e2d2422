package istanbul.hes.points;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import java.util.Locale;
import java.util.Optional;

/**
 * Which agents and points may act: operators disable one (a lost terminal, an agent who left)
 * and enable it again through the admin listener; every request of the points' listener asks
 * PostgreSQL (one indexed look-up), so a switch holds on every node from the next request on,
 * without a restart or a cache to wait for.
 */
public final class PointAccess {
  /** What can be switched: one agent, or every agent at one point. */
  public enum Kind {
    AGENT, POINT;

    /** {@code agents} or {@code points}, as the admin path names them; empty for anything else. */
    public static Optional<Kind> fromPath(String segment) {
      return switch (segment) {
        case "agents" -> Optional.of(AGENT);
        case "points" -> Optional.of(POINT);
        default -> Optional.empty();
      };
    }
  }

  private final Pool pool;

  public PointAccess(Pool pool) {
    this.pool = pool;
  }

  /** Empty when the agent and the agent's point may act; otherwise the 403 that says which is disabled. */
  Future<Optional<Problem>> refusal(AgentPrincipal agent) {
    return pool.preparedQuery(PointsSql.DISABLED).execute(Tuple.of(agent.agentId(), agent.pointId())).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      boolean pointDisabled = false;
      for (Row row : rows) {
        pointDisabled |= row.getString(0).equals(Kind.POINT.name());
      }
      return Optional.of(Problem.of(ProblemCode.POINT_ACCESS_DISABLED, pointDisabled
          ? "point " + agent.pointId() + " is disabled; an operator can enable it again"
          : "agent " + agent.agentId() + " is disabled; an operator can enable the agent again"));
    });
  }

  /** Every switched agent and point: {@code {"access":[{"kind","id","enabled","changedAt","changedBy","why"}…]}}. */
  public Future<JsonObject> list() {
    return pool.query(PointsSql.ACCESS_LIST).execute().map(rows -> {
      JsonArray access = new JsonArray();
      rows.forEach(row -> access.add(toJson(row)));
      return new JsonObject().put("access", access);
    });
  }

  /** Disables or enables an agent or a point on every node, and keeps who did it and why. */
  public Future<JsonObject> change(Kind kind, String id, boolean enabled, String by, String why) {
    return pool.preparedQuery(PointsSql.SWITCH_ACCESS).execute(Tuple.of(kind.name(), id, enabled, by, why))
        .map(rows -> toJson(rows.iterator().next()));
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("kind", row.getString(0).toLowerCase(Locale.ROOT))
        .put("id", row.getString(1))
        .put("enabled", row.getBoolean(2))
        .put("changedAt", row.getOffsetDateTime(3).toInstant().toString())
        .put("changedBy", row.getString(4))
        .put("why", row.getString(5));
  }
}
