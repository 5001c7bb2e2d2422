package istanbul.hes.points;

import io.vertx.core.json.JsonObject;
import istanbul.hes.config.PointsConfig;
import java.util.Objects;

/**
 * The sales-point agent a staff token speaks for: the agent ({@code sub}), the point the agent
 * works at ({@code point}) and the role ({@code role}). Staff identifiers, not citizens' personal
 * data: they may be logged and audited in clear.
 */
public record AgentPrincipal(String agentId, String pointId, String role) {
  public AgentPrincipal {
    requireStaffId(agentId, "agentId");
    requireStaffId(pointId, "pointId");
    Objects.requireNonNull(role, "role");
  }

  /** The principal of a signed token's claims; null when they do not name an agent and a point. */
  static AgentPrincipal fromClaims(JsonObject claims) {
    String agent = claims.getValue("sub") instanceof String text ? text : null;
    String point = claims.getValue("point") instanceof String text ? text : null;
    String role = claims.getValue("role") instanceof String text ? text : "";
    if (agent == null || point == null || !PointsConfig.STAFF_ID.matcher(agent).matches()
        || !PointsConfig.STAFF_ID.matcher(point).matches()) {
      return null;
    }
    return new AgentPrincipal(agent, point, role);
  }

  private static void requireStaffId(String id, String name) {
    if (id == null || !PointsConfig.STAFF_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(name + " must be 1 to 64 characters A-Z, a-z, 0-9, '.', '_' or '-'");
    }
  }
}
