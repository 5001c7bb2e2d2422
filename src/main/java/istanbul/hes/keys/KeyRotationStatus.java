package istanbul.hes.keys;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import istanbul.hes.config.SecurityConfig;
import istanbul.hes.identity.IdentityProtector;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /admin/v1/keys}: the keys this node knows, where the rotation job stands on every
 * kind of record, and which old key ids can be retired: those no record uses any more, as the
 * last full count of every kind's pass towards the current keys found.
 */
public final class KeyRotationStatus {
  private final Pool pool;
  private final IdentityProtector protector;
  private final SecurityConfig config;

  public KeyRotationStatus(Pool pool, IdentityProtector protector, SecurityConfig config) {
    this.pool = pool;
    this.protector = protector;
    this.config = config;
  }

  public void mount(Router router) {
    router.get("/admin/v1/keys").handler(context -> describe()
        .onSuccess(body -> context.response().setStatusCode(200).putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
            .end(body.toBuffer()))
        .onFailure(context::fail));
  }

  /** Values in a count ({"encryption": {"1": n}, "hash": {...}}) not under the current key ids. */
  static long notCurrent(JsonObject counted, int encryptionKeyId, int hashKeyId) {
    return others(counted.getJsonObject("encryption", new JsonObject()), encryptionKeyId)
        + others(counted.getJsonObject("hash", new JsonObject()), hashKeyId);
  }

  private static long others(JsonObject byKey, int current) {
    long sum = 0;
    for (String id : byKey.fieldNames()) {
      if (Integer.parseInt(id) != current) {
        sum += byKey.getLong(id);
      }
    }
    return sum;
  }

  public Future<JsonObject> describe() {
    int encryption = protector.encryptionKeyId();
    int hash = protector.hashKeyId();
    return pool.query(KeyRotationSql.STATUS).execute().map(rows -> {
      JsonArray kinds = new JsonArray();
      Set<Integer> encryptionInUse = new TreeSet<>();
      Set<Integer> hashInUse = new TreeSet<>();
      List<String> unsettled = new ArrayList<>();
      JsonObject totals = new JsonObject().put("encryption", new JsonObject()).put("hash", new JsonObject());
      Set<String> seen = new TreeSet<>();
      for (Row row : rows) {
        String kind = row.getString(0);
        seen.add(kind);
        JsonObject counted = row.getJsonObject(12);
        boolean towardsCurrent = row.getShort(1) == encryption && row.getShort(2) == hash;
        boolean countedOnce = row.getValue(10) != null || row.getValue(11) != null;
        if (!towardsCurrent || !countedOnce) {
          unsettled.add(kind);
        }
        add(counted, "encryption", totals, encryptionInUse);
        add(counted, "hash", totals, hashInUse);
        kinds.add(new JsonObject()
            .put("kind", kind)
            .put("target", new JsonObject().put("encryptionKeyId", row.getShort(1)).put("hashKeyId", row.getShort(2)))
            .put("pass", row.getInteger(3))
            .put("passFinished", row.getValue(10) != null)
            .put("position", row.getString(4).isEmpty() ? null : "past " + row.getString(4))
            .put("passMoved", row.getLong(5))
            .put("moved", row.getLong(6))
            .put("unrecoverable", row.getLong(7))
            .put("conflicts", row.getLong(8))
            .put("passStartedAt", time(row.getOffsetDateTime(9)))
            .put("passFinishedAt", time(row.getOffsetDateTime(10)))
            .put("cleanSince", time(row.getOffsetDateTime(11)))
            .put("valuesByKeyId", counted)
            .put("valuesNotCurrent", notCurrent(counted, encryption, hash)));
      }
      for (String expected : RotatedRecords.KINDS) {
        if (!seen.contains(expected)) {
          unsettled.add(expected);
        }
      }
      JsonObject retirable = new JsonObject()
          .put("encryptionKeyIds", retirable(config.otherEncryptionKeys().keySet(), encryptionInUse, unsettled))
          .put("hashKeyIds", retirable(config.otherHashKeys().keySet(), hashInUse, unsettled));
      return new JsonObject()
          .put("current", new JsonObject().put("encryptionKeyId", encryption).put("hashKeyId", hash))
          .put("otherKeys", new JsonObject()
              .put("encryptionKeyIds", new JsonArray(new ArrayList<>(new TreeSet<>(config.otherEncryptionKeys().keySet()))))
              .put("hashKeyIds", new JsonArray(new ArrayList<>(new TreeSet<>(config.otherHashKeys().keySet())))))
          .put("valuesByKeyId", totals)
          .put("job", new JsonObject().put("rowsPerSecondOnThisNode", config.rotationRowsPerSecond())
              .put("batchRows", config.rotationBatchRows()).put("verifySeconds", config.rotationVerifySeconds()))
          .put("kinds", kinds)
          .put("notYetCounted", new JsonArray(unsettled))
          .put("retirable", retirable)
          .put("note", "an id is retirable once a full count of every kind, towards this node's current keys, found no value "
              + "under it; remove it from security.other*Keys only after every node's configuration names the new key as "
              + "current (a node still on the old one writes new values under it)");
    });
  }

  /** Adds a kind's count of one sort of value ("encryption", "hash") to the totals, noting the ids in use. */
  private static void add(JsonObject counted, String sort, JsonObject totals, Set<Integer> inUse) {
    JsonObject byKey = counted.getJsonObject(sort, new JsonObject());
    JsonObject total = totals.getJsonObject(sort);
    for (String id : byKey.fieldNames()) {
      inUse.add(Integer.parseInt(id));
      total.put(id, total.getLong(id, 0L) + byKey.getLong(id));
    }
  }

  /** The other key ids no counted value uses, when every kind has been counted towards the current keys; else none. */
  private static JsonArray retirable(Set<Integer> others, Set<Integer> inUse, List<String> unsettled) {
    JsonArray ids = new JsonArray();
    if (unsettled.isEmpty()) {
      new TreeSet<>(others).stream().filter(id -> !inUse.contains(id)).forEach(ids::add);
    }
    return ids;
  }

  private static String time(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }

}
