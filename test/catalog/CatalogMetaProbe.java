import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Calls pgjdbc's DatabaseMetaData methods and prints one JSON object per result set:
 * {"method": ..., "columns": [...], "rows": [[...], ...]} (values as ResultSet.getString).
 * Usage: java -cp postgresql.jar CatalogMetaProbe.java URL USER PASSWORD
 */
public final class CatalogMetaProbe {
  private static final String[] TABLES = {"events", "orders", "customers", "Koalas to the Max"};

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

  private static void print(String method, ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    StringBuilder b = new StringBuilder("{\"method\":").append(json(method)).append(",\"columns\":[");
    for (int i = 1; i <= md.getColumnCount(); i++) b.append(i > 1 ? "," : "").append(json(md.getColumnLabel(i)));
    b.append("],\"rows\":[");
    boolean first = true;
    while (rs.next()) {
      b.append(first ? "[" : ",[");
      first = false;
      for (int i = 1; i <= md.getColumnCount(); i++) b.append(i > 1 ? "," : "").append(json(rs.getString(i)));
      b.append(']');
    }
    rs.close();
    System.out.println(b.append("]}"));
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", args[2]);
    try (Connection conn = DriverManager.getConnection(args[0], props)) {
      DatabaseMetaData md = conn.getMetaData();
      print("getSchemas", md.getSchemas());
      print("getSchemas(public)", md.getSchemas(null, "pub%"));
      print("getCatalogs", md.getCatalogs());
      print("getTables(TABLE,VIEW)", md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"}));
      print("getTables(public)", md.getTables(null, "public", "%", null));
      print("getColumns(public)", md.getColumns(null, "public", "%", "%"));
      for (String t : TABLES) {
        print("getPrimaryKeys " + t, md.getPrimaryKeys(null, "public", t));
        print("getImportedKeys " + t, md.getImportedKeys(null, "public", t));
        print("getExportedKeys " + t, md.getExportedKeys(null, "public", t));
        print("getIndexInfo " + t, md.getIndexInfo(null, "public", t, false, true));
      }
      print("getTypeInfo", md.getTypeInfo());
      System.out.println("{\"method\":\"getSQLKeywords\",\"columns\":[\"keywords\"],\"rows\":[[" + json(md.getSQLKeywords()) + "]]}");
      print("getProcedures(public)", md.getProcedures(null, "public", "%"));
      print("getProcedures(pg_catalog, to_regclass)", md.getProcedures(null, "pg_catalog", "to_regclass"));
      print("getFunctions(pg_catalog, format_type)", md.getFunctions(null, "pg_catalog", "format_type"));
    } catch (SQLException e) {
      System.out.println("{\"method\":\"error\",\"columns\":[\"sqlstate\",\"message\"],\"rows\":[[" + json(e.getSQLState()) + "," + json(e.getMessage()) + "]]}");
      System.exit(3);
    }
  }
}
