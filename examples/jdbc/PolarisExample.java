import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Connects to polaris-pg with pgjdbc (the driver of Metabase, DBeaver, Tableau JDBC and Looker),
 * runs a prepared statement with a parameter and streams a larger result with a fetch size.
 *
 * Run (Java 11+ single-file launcher):
 *   java -cp postgresql-42.7.8.jar PolarisExample.java \
 *     "jdbc:postgresql://localhost:5432/druid?sslmode=prefer" tester secret
 */
public class PolarisExample {
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://localhost:5432/druid";
    Properties props = new Properties();
    props.setProperty("user", args.length > 1 ? args[1] : "druid");
    props.setProperty("password", args.length > 2 ? args[2] : "");
    try (Connection conn = DriverManager.getConnection(url, props)) {
      System.out.println("connected to " + conn.getMetaData().getDatabaseProductName() + " "
          + conn.getMetaData().getDatabaseProductVersion());

      String byCountry = "SELECT country, count(*) AS views, sum(bytes) AS total_bytes FROM events "
          + "WHERE status = ? GROUP BY country ORDER BY views DESC, country LIMIT 5";
      try (PreparedStatement ps = conn.prepareStatement(byCountry)) {
        ps.setLong(1, 404);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            System.out.println(rs.getString("country") + "|" + rs.getLong("views") + "|" + rs.getLong("total_bytes"));
          }
        }
      }

      // A fetch size streams through a portal; pgjdbc needs autocommit off for that.
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.setFetchSize(500);
        long rows = 0;
        try (ResultSet rs = st.executeQuery("SELECT user_id, count(*) FROM events GROUP BY user_id ORDER BY user_id")) {
          while (rs.next()) {
            rows++;
          }
        }
        System.out.println("users|" + rows);
      }
      conn.commit();
    }
  }
}
