package dev.speckitty.e2e.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Writes a row into a home's {@code queue.db} as the Python tool does (its own DDL, no validation), for
 * tests that need an event the server refuses: our CLI validates what it records, and no longer
 * sends an event recorded for another team than the login.
 */
public final class PythonQueue {
    private PythonQueue() {
    }

    /** Queues {@code json} (one whole event) with the current time, creating the Python table if needed. */
    public static void insert(Path home, String eventId, String eventType, String json) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("queue.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute("CREATE TABLE IF NOT EXISTS queue (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL,"
                    + " event_type TEXT NOT NULL, data TEXT NOT NULL, timestamp INTEGER NOT NULL, retry_count INTEGER DEFAULT 0)");
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO queue (event_id, event_type, data, timestamp, retry_count) VALUES (?, ?, ?, ?, 0)")) {
                p.setString(1, eventId);
                p.setString(2, eventType);
                p.setString(3, json);
                p.setLong(4, System.currentTimeMillis() / 1000);
                p.executeUpdate();
            }
        }
    }
}
