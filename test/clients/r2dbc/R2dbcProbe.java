import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Drives the gateway with r2dbc-postgresql (Spring's reactive PostgreSQL driver) and prints one JSON
 * object per line for test/clients/r2dbc.test.ts to compare with the PostgreSQL twin.
 * Usage: java -cp CLASSPATH R2dbcProbe.java URL SCENARIO (URL: postgresql://user@host:port/db)
 *   bind:   $n parameters bound by index, text and forceBinary results, column metadata
 *   stream: a fetchSize(25) statement read by a subscriber that requests 10 rows at a time
 */
public final class R2dbcProbe {
  private static final int REQUEST_BATCH = 10;
  private static final int FETCH_SIZE = 25;
  private static final String AGGREGATE = "SELECT country, count(*) AS n, min(__time) AS first_seen, max(latency_ms) AS l FROM events "
      + "WHERE status = $1 AND device = $2 GROUP BY country ORDER BY n DESC, country LIMIT 3";
  private static final String SCAN = "SELECT user_id, bytes FROM events ORDER BY __time, user_id, bytes LIMIT 120";

  private static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof Number || v instanceof Boolean) return v.toString();
    if (v instanceof OffsetDateTime t) return json(t.toInstant().toString());
    if (v instanceof Instant t) return json(t.toString());
    if (v instanceof List<?> list) {
      StringBuilder b = new StringBuilder("[");
      for (Object o : list) b.append(b.length() > 1 ? "," : "").append(json(o));
      return b.append(']').toString();
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toString().toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private static void emit(String kind, String... pairs) {
    StringBuilder b = new StringBuilder("{\"kind\":").append(json(kind));
    for (int i = 0; i + 1 < pairs.length; i += 2) b.append(',').append(json(pairs[i])).append(':').append(pairs[i + 1]);
    System.out.println(b.append('}'));
  }

  private static PostgresqlConnection connect(URI url, boolean binary) {
    String user = url.getUserInfo() == null ? "" : url.getUserInfo().split(":")[0];
    PostgresqlConnectionConfiguration config = PostgresqlConnectionConfiguration.builder()
        .host(url.getHost()).port(url.getPort()).database(url.getPath().substring(1))
        .username(user).password("").forceBinary(binary).build();
    return new PostgresqlConnectionFactory(config).create().block();
  }

  private static List<Object> values(Row row, RowMetadata meta) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < meta.getColumnMetadatas().size(); i++) out.add(row.get(i));
    return out;
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    switch (args[1]) {
      case "bind" -> {
        for (boolean binary : new boolean[] {false, true}) {
          PostgresqlConnection conn = connect(url, binary);
          List<List<Object>> rows = conn.createStatement(AGGREGATE).bind(0, 404L).bind(1, "mobile").execute()
              .flatMap(r -> r.map(R2dbcProbe::values)).collectList().block();
          List<String> columns = conn.createStatement(AGGREGATE).bind(0, 200L).bind(1, "desktop").execute()
              .flatMap(r -> r.map((row, meta) -> meta.getColumnMetadatas().stream()
                  .map(c -> c.getName() + ":" + c.getType().getName() + ":" + c.getJavaType().getSimpleName()).toList()))
              .blockFirst();
          emit("bind", "binary", json(binary), "rows", json(rows), "columns", json(columns));
          conn.close().block();
        }
      }
      case "stream" -> {
        PostgresqlConnection conn = connect(url, false);
        List<Object> rows = new ArrayList<>();
        int[] requests = {0};
        CountDownLatch done = new CountDownLatch(1);
        Flux<List<Object>> flux = conn.createStatement(SCAN).fetchSize(FETCH_SIZE).execute().flatMap(r -> r.map(R2dbcProbe::values));
        flux.subscribe(new BaseSubscriber<List<Object>>() {
          @Override protected void hookOnSubscribe(Subscription s) {
            requests[0]++;
            request(REQUEST_BATCH);
          }
          @Override protected void hookOnNext(List<Object> row) {
            rows.add(row);
            if (rows.size() % REQUEST_BATCH == 0) {
              requests[0]++;
              request(REQUEST_BATCH);
            }
          }
          @Override protected void hookFinally(reactor.core.publisher.SignalType type) {
            done.countDown();
          }
          @Override protected void hookOnError(Throwable t) {
            emit("error", "message", json(t.toString()));
          }
        });
        done.await();
        emit("stream", "rows", json(rows), "requests", json(requests[0]));
        conn.close().block();
      }
      default -> throw new IllegalArgumentException("unknown scenario " + args[1]);
    }
  }
}
