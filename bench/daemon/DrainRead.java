import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The drain's read of a queue, batch after batch of 1,000 in drain order, in two forms of the same
 * walk: one row-value condition {@code (timestamp, id) > (?, ?)} (before de2303d) and the two seeks
 * the daemon uses now (the rest of the position's second by rowid, then the seconds after it).
 * Prints the milliseconds per batch in four quarters of the walk, and the microseconds per row.
 *
 * Usage: java -cp sqlite-jdbc.jar:. DrainRead QUEUE_DB BATCHES
 */
public final class DrainRead {
    private static final String ROW_VALUE = "SELECT id, data, timestamp FROM queue WHERE (timestamp, id) > (?1, ?2) ORDER BY timestamp, id LIMIT ?3";
    private static final String SAME_SECOND = "SELECT id, data, timestamp FROM queue WHERE timestamp = ?1 AND id > ?2 ORDER BY id LIMIT ?3";
    private static final String LATER = "SELECT id, data, timestamp FROM queue WHERE timestamp > ?1 ORDER BY timestamp, id LIMIT ?3";

    public static void main(String[] args) throws Exception {
        int batches = Integer.parseInt(args[1]);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0])) {
            walk(c, "row value", batches, new String[] {ROW_VALUE});
            walk(c, "two seeks", batches, new String[] {SAME_SECOND, LATER});
        }
    }

    private static void walk(Connection c, String label, int batches, String[] arms) throws Exception {
        long ts = Long.MIN_VALUE;
        long id = Long.MIN_VALUE;
        long rows = 0;
        long start = System.nanoTime();
        long quarter = start;
        int per = Math.max(1, batches / 4);
        for (int b = 1; b <= batches; b++) {
            int got = 0;
            for (String sql : arms) {
                if (got == 1000) {
                    break;
                }
                try (PreparedStatement q = c.prepareStatement(sql)) {
                    q.setLong(1, ts);
                    q.setLong(2, id);
                    q.setInt(3, 1000 - got);
                    long lastTs = ts;
                    long lastId = id;
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            lastId = r.getLong(1);
                            r.getString(2);
                            lastTs = r.getLong(3);
                            got++;
                        }
                    }
                    ts = lastTs;
                    id = lastId;
                }
            }
            rows += got;
            if (b % per == 0) {
                long now = System.nanoTime();
                System.out.printf("%-10s batches %5d-%5d: %6.2f ms per batch%n", label, b - per + 1, b, (now - quarter) / 1e6 / per);
                quarter = now;
            }
            if (got == 0) {
                break;
            }
        }
        System.out.printf("%-10s %.2f us per row over %,d rows%n", label, (System.nanoTime() - start) / 1e3 / Math.max(1, rows), rows);
    }
}
