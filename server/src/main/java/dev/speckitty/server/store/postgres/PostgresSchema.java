package dev.speckitty.server.store.postgres;

import dev.speckitty.server.store.SchemaMigrations;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema, as on SQLite: {@code schema_version} holds the number of migrations applied;
 * each entry of {@link #MIGRATIONS} runs once, in order, in one transaction with its version bump.
 * PostgreSQL DDL is transactional, and an advisory lock makes instances starting together take turns.
 */
final class PostgresSchema {
    /** Any constant shared by every instance; "spec-kitty schema" in ASCII, roughly. */
    private static final long MIGRATION_LOCK = 0x5350_4b53_4348_454dL;

    /** Append only: never edit a migration that has shipped. */
    static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    CREATE TABLE users (
                      id BIGSERIAL PRIMARY KEY,
                      username TEXT NOT NULL UNIQUE,
                      team TEXT NOT NULL,
                      salt BYTEA NOT NULL,
                      password_hash BYTEA NOT NULL,
                      iterations INTEGER NOT NULL,
                      created_at BIGINT NOT NULL)""",
                    // user_id, not username: a removed and re-created account must not revive old tokens.
                    """
                    CREATE TABLE tokens (
                      token_hash TEXT PRIMARY KEY,
                      kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh', 'ws')),
                      user_id BIGINT NOT NULL,
                      expires_at BIGINT NOT NULL,
                      revoked BOOLEAN NOT NULL DEFAULT FALSE,
                      created_at BIGINT NOT NULL)""",
                    "CREATE INDEX tokens_expires_at ON tokens(expires_at)",
                    """
                    CREATE TABLE events (
                      team TEXT NOT NULL,
                      seq BIGINT NOT NULL,
                      event_id TEXT NOT NULL,
                      event_type TEXT NOT NULL,
                      data TEXT NOT NULL,
                      received_at BIGINT NOT NULL,
                      PRIMARY KEY (team, seq),
                      UNIQUE (team, event_id))""",
                    // One row per team: its lock orders the team's writers across instances (see PostgresEventStore).
                    """
                    CREATE TABLE team_seq (
                      team TEXT PRIMARY KEY,
                      last BIGINT NOT NULL)"""),
            // Token families: one login and every token rotated or issued from it, revoked together.
            // A token from before this migration becomes a family of its own.
            List.of(
                    """
                    CREATE TABLE token_families (
                      id TEXT PRIMARY KEY,
                      user_id BIGINT NOT NULL,
                      revoked BOOLEAN NOT NULL DEFAULT FALSE,
                      created_at BIGINT NOT NULL)""",
                    "ALTER TABLE tokens ADD COLUMN family TEXT",
                    "ALTER TABLE tokens ADD COLUMN rotated_at BIGINT",
                    "ALTER TABLE tokens ADD COLUMN successor BYTEA",
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
                      user_id BIGINT,
                      state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'used')),
                      expires_at BIGINT NOT NULL,
                      interval_ms BIGINT NOT NULL,
                      last_poll_at BIGINT,
                      used_at BIGINT,
                      family TEXT,
                      created_at BIGINT NOT NULL)""",
                    "CREATE INDEX oauth_codes_expires_at ON oauth_codes(expires_at)"),
            // 5: each event's node_id beside its text, so a pull can leave out the caller's own events and the
            // fan-out a session's. Rows stored before stay NULL: never taken for anyone's own, always served.
            List.of("ALTER TABLE events ADD COLUMN node_id TEXT"));

    private PostgresSchema() {
    }

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    static void migrate(PostgresDatabase db) {
        db.inTransaction("migrate the schema", c -> {
            try (Statement s = c.createStatement()) {
                // A transaction-scoped advisory lock: a second instance migrating at the same time waits here.
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
                s.execute(SchemaMigrations.CREATE_VERSION_TABLE);
                SchemaMigrations.apply(s, MIGRATIONS, "PostgreSQL " + db.describe());
            }
            return null;
        });
    }
}
