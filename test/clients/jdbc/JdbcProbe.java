import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Drives pgjdbc against the gateway and prints one JSON object per line for the vitest suite to
 * assert on. Usage: java -cp postgresql.jar JdbcProbe.java URL USER PASSWORD SCENARIO [ARG]
 */
public final class JdbcProbe {
  private static String json(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
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

  private static String row(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    StringBuilder b = new StringBuilder("[");
    for (int i = 1; i <= md.getColumnCount(); i++) {
      if (i > 1) b.append(',');
      b.append(json(rs.getString(i)));
    }
    return b.append(']').toString();
  }

  private static String columns(ResultSetMetaData md) throws SQLException {
    StringBuilder b = new StringBuilder("[");
    for (int i = 1; i <= md.getColumnCount(); i++) {
      if (i > 1) b.append(',');
      b.append("{\"name\":").append(json(md.getColumnLabel(i))).append(",\"type\":").append(json(md.getColumnTypeName(i))).append('}');
    }
    return b.append(']').toString();
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", args[2]);
    String scenario = args[3];
    String arg = args.length > 4 ? args[4] : "";
    try (Connection conn = DriverManager.getConnection(url, props)) {
      emit("connected", "version", json(conn.getMetaData().getDatabaseProductVersion()));
      switch (scenario) {
        case "connect": break;
        case "query": query(conn, arg); break;
        case "prepared": prepared(conn); break;
        case "repeat": repeat(conn); break;
        case "fetch": fetch(conn, arg); break;
        case "cancel": cancel(conn, arg); break;
        case "timeout": timeout(conn, arg); break;
        case "error": error(conn); break;
        case "batch": batch(conn, arg); break;
        default: throw new IllegalArgumentException("unknown scenario " + scenario);
      }
    } catch (SQLException e) {
      emit("error", "sqlstate", json(e.getSQLState()), "message", json(e.getMessage()));
      System.exit(3);
    }
  }

  /**
   * ARG "table,rows[,bad]": one PreparedStatement INSERT with `rows` addBatch() calls and one
   * executeBatch(); row `bad` has a NULL __time. Prints the update counts, or the BatchUpdateException.
   */
  private static void batch(Connection conn, String arg) throws SQLException {
    String[] a = arg.split(",");
    int n = Integer.parseInt(a[1]);
    int bad = a.length > 2 ? Integer.parseInt(a[2]) : -1;
    String sql = "INSERT INTO " + a[0] + " (__time, order_id, customer_id, amount, status) VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 1; i <= n; i++) {
        if (i == bad) ps.setNull(1, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(1, java.time.OffsetDateTime.of(2026, 6, 1 + i % 28, i % 24, i % 60, i % 60, (i % 1000) * 1_000_000, java.time.ZoneOffset.UTC));
        ps.setLong(2, 2_000_000L + i);
        ps.setLong(3, i % 97);
        ps.setDouble(4, i * 0.25);
        if (i % 3 == 0) ps.setNull(5, java.sql.Types.VARCHAR);
        else ps.setString(5, "s" + (i % 5));
        ps.addBatch();
      }
      int[] counts;
      try {
        counts = ps.executeBatch();
      } catch (java.sql.BatchUpdateException e) {
        emit("batchError", "sqlstate", json(e.getSQLState()), "message", json(e.getMessage()));
        return;
      }
      long sum = 0;
      for (int c : counts) sum += c;
      emit("batch", "count", String.valueOf(counts.length), "sum", String.valueOf(sum));
    }
  }

  private static void query(Connection conn, String sql) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      emit("columns", "columns", columns(rs.getMetaData()));
      while (rs.next()) emit("row", "values", row(rs));
    }
  }

  private static void prepared(Connection conn) throws SQLException {
    String sql = "SELECT country, count(*) AS n FROM events WHERE status = ? AND device = ? GROUP BY country ORDER BY n DESC, country LIMIT 3";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setLong(1, 404);
      ps.setString(2, "mobile");
      try (ResultSet rs = ps.executeQuery()) {
        emit("columns", "columns", columns(rs.getMetaData()));
        while (rs.next()) emit("row", "values", row(rs));
      }
    }
  }

  /** Past prepareThreshold (5) pgjdbc switches to a named statement and binary results. */
  private static void repeat(Connection conn) throws SQLException {
    String sql = "SELECT count(*) AS n, sum(bytes) AS b, min(__time) AS t, max(latency_ms) AS l FROM events WHERE status = ?";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < 8; i++) {
        ps.setLong(1, i % 2 == 0 ? 200 : 404);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          emit("row", "i", String.valueOf(i), "values",
              "[" + json(String.valueOf(rs.getLong(1))) + "," + json(rs.getString(2)) + "," + json(rs.getTimestamp(3).toInstant().toString()) + "," + json(String.valueOf(rs.getDouble(4))) + "]");
        }
      }
    }
  }

  /** setFetchSize inside a transaction: pgjdbc reads through a portal with row-limited Execute. */
  private static void fetch(Connection conn, String sql) throws SQLException {
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      st.setFetchSize(100);
      long rows = 0;
      String first = null;
      String last = null;
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          if (first == null) first = rs.getString(1);
          last = rs.getString(1);
          rows++;
        }
      }
      conn.commit();
      emit("fetched", "rows", String.valueOf(rows), "first", json(first), "last", json(last));
    }
  }

  private static void cancel(Connection conn, String sql) throws Exception {
    try (Statement st = conn.createStatement()) {
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(700);
          st.cancel();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      long start = System.nanoTime();
      canceller.start();
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) { /* drain until the cancel lands */ }
        emit("finished");
      } catch (SQLException e) {
        emit("canceled", "sqlstate", json(e.getSQLState()), "message", json(e.getMessage()), "ms", String.valueOf((System.nanoTime() - start) / 1_000_000));
      }
      canceller.join();
      try (ResultSet rs = st.executeQuery("SHOW integer_datetimes")) {
        rs.next();
        emit("after", "value", json(rs.getString(1)));
      }
    }
  }

  private static void timeout(Connection conn, String sql) throws Exception {
    try (Statement st = conn.createStatement()) {
      st.setQueryTimeout(1);
      long start = System.nanoTime();
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) { /* drain */ }
        emit("finished");
      } catch (SQLException e) {
        emit("canceled", "sqlstate", json(e.getSQLState()), "message", json(e.getMessage()), "ms", String.valueOf((System.nanoTime() - start) / 1_000_000));
      }
    }
  }

  private static void error(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      try {
        st.executeQuery("SELECT nope FROM events");
      } catch (SQLException e) {
        emit("failed", "sqlstate", json(e.getSQLState()), "message", json(e.getMessage()));
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
        rs.next();
        emit("row", "values", "[" + json(rs.getString(1)) + "]");
      }
    }
  }
}
