package dev.speckitty.server.store.sqlite;

import dev.speckitty.server.store.SchemaMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema: {@code schema_version} holds the number of migrations applied; each entry of
 * {@link #MIGRATIONS} runs once, in order, in one transaction with its version bump.
 */
final class SqliteSchema {
    /** Append only: never edit a migration that has shipped. */
    static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    CREATE TABLE users (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      username TEXT NOT NULL UNIQUE,
                      team TEXT NOT NULL,
                      salt BLOB NOT NULL,
                      password_hash BLOB NOT NULL,
                      iterations INTEGER NOT NULL,
                      created_at INTEGER NOT NULL)""",
                    // user_id, not username: a removed and re-created account must not revive old tokens.
                    """
                    CREATE TABLE tokens (
                      token_hash TEXT PRIMARY KEY,
                      kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh', 'ws')),
                      user_id INTEGER NOT NULL,
                      expires_at INTEGER NOT NULL,
                      revoked INTEGER NOT NULL DEFAULT 0,
                      created_at INTEGER NOT NULL)""",
                    "CREATE INDEX tokens_expires_at ON tokens(expires_at)",
                    """
                    CREATE TABLE events (
                      team TEXT NOT NULL,
                      seq INTEGER NOT NULL,
                      event_id TEXT NOT NULL,
                      event_type TEXT NOT NULL,
                      data TEXT NOT NULL,
                      received_at INTEGER NOT NULL,
                      PRIMARY KEY (team, seq),
                      UNIQUE (team, event_id)) WITHOUT ROWID"""),
            // Token families: one login and every token rotated or issued from it, revoked together.
            // A token from before this migration becomes a family of its own.
            List.of(
                    """
                    CREATE TABLE token_families (
                      id TEXT PRIMARY KEY,
                      user_id INTEGER NOT NULL,
                      revoked INTEGER NOT NULL DEFAULT 0,
                      created_at INTEGER NOT NULL)""",
                    "ALTER TABLE tokens ADD COLUMN family TEXT",
                    "ALTER TABLE tokens ADD COLUMN rotated_at INTEGER",
                    "ALTER TABLE tokens ADD COLUMN successor BLOB",
                    "INSERT INTO token_families(id, user_id, revoked, created_at) "
                            + "SELECT token_hash, user_id, revoked, created_at FROM tokens",
                    "UPDATE tokens SET family = token_hash",
                    "CREATE INDEX tokens_family ON tokens(family)"),
            // 3: kept empty here; the number belongs to a change made alongside this one.
            List.of(),
            // 4: OAuth 2.0 codes (device codes with their user codes, authorization codes), hashed, minutes-lived, single use.
            List.of(
                    """
                    CREATE TABLE oauth_codes (
                      code_hash TEXT PRIMARY KEY,
                      kind TEXT NOT NULL CHECK (kind IN ('device', 'authorization')),
                      user_code_hash TEXT UNIQUE,
                      client_id TEXT NOT NULL,
                      scope TEXT NOT NULL,
                      redirect_uri TEXT,
                      code_challenge TEXT,
                      user_id INTEGER,
                      state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'used')),
                      expires_at INTEGER NOT NULL,
                      interval_ms INTEGER NOT NULL,
                      last_poll_at INTEGER,
                      used_at INTEGER,
                      family TEXT,
                      created_at INTEGER NOT NULL)""",
                    "CREATE INDEX oauth_codes_expires_at ON oauth_codes(expires_at)"),
            // 5: each event's node_id beside its text, so a pull can leave out the caller's own events and the
            // fan-out a session's. Rows stored before stay NULL: never taken for anyone's own, always served.
            List.of("ALTER TABLE events ADD COLUMN node_id TEXT"));

    private SqliteSchema() {
    }

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    static void migrate(SqliteDatabase db) {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(SchemaMigrations.CREATE_VERSION_TABLE);
        } catch (SQLException e) {
            throw db.failure("migrate the schema", e);
        }
        // IMMEDIATE transactions: a second process migrating at the same time waits here, then sees the new version.
        db.inTransaction("migrate the schema", c -> {
            try (Statement s = c.createStatement()) {
                SchemaMigrations.apply(s, MIGRATIONS, db.file().toString());
            }
            return null;
        });
    }
}
