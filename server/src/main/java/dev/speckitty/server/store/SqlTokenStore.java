package dev.speckitty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link TokenStore} on the {@code tokens} table of either store (the SQL is portable between SQLite and
 * PostgreSQL); tokens are looked up by SHA-256 hash, never stored in clear. Thread-safe.
 */
public final class SqlTokenStore implements TokenStore {
    private static final long PURGE_AFTER_MS = Duration.ofDays(1).toMillis();
    private static final String FIND = "SELECT t.kind, t.expires_at, t.revoked, t.user_id, u.username, u.team, u.created_at "
            + "FROM tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?";

    private final SqlDatabase db;
    private final Clock clock;

    public SqlTokenStore(SqlDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public String issue(String username, TokenKind kind, Duration ttl) {
        String token = Tokens.newToken();
        long now = clock.millis();
        db.inTransaction("issue a " + kind.dbName() + " token for user " + username, c -> {
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO tokens(token_hash, kind, user_id, expires_at, revoked, created_at) "
                            + "SELECT ?, ?, id, ?, ?, ? FROM users WHERE username = ?")) {
                ins.setString(1, Tokens.hash(token));
                ins.setString(2, kind.dbName());
                ins.setLong(3, now + ttl.toMillis());
                ins.setBoolean(4, false);
                ins.setLong(5, now);
                ins.setString(6, username);
                if (ins.executeUpdate() == 0) {
                    throw new IllegalArgumentException("user '" + username + "' does not exist; cannot issue a token");
                }
            }
            // Keeps the table from growing forever; a day's grace keeps "expired" (401) distinguishable from "unknown".
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM tokens WHERE expires_at < ?")) {
                purge.setLong(1, now - PURGE_AFTER_MS);
                purge.executeUpdate();
            }
            return null;
        });
        return token;
    }

    @Override
    public Optional<TokenInfo> find(String token) {
        try (Connection c = db.connection()) {
            return find(c, Tokens.hash(token));
        } catch (SQLException e) {
            throw db.failure("look up a token", e);
        }
    }

    @Override
    public Optional<User> consume(String token, TokenKind kind) {
        return useIfLive(token, kind, "use a " + kind.dbName() + " token", (c, hash, info, now) -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE tokens SET revoked = ? WHERE token_hash = ? AND revoked = ?")) {
                // Booleans as parameters: SQLite stores 1/0, PostgreSQL a BOOLEAN; the SQL is the same.
                up.setBoolean(1, true);
                up.setString(2, hash);
                up.setBoolean(3, false);
                return up.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<User> rotate(String refreshToken, Duration grace) {
        return useIfLive(refreshToken, TokenKind.REFRESH, "rotate a refresh token", (c, hash, info, now) -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE tokens SET expires_at = ? WHERE token_hash = ? AND expires_at > ?")) {
                up.setLong(1, Math.min(info.expiresAt().toEpochMilli(), now + grace.toMillis()));
                up.setString(2, hash);
                up.setLong(3, now);
                return up.executeUpdate() == 1;
            }
        });
    }

    /** Changes a live token of {@code kind} (not revoked, not expired, account still there) in one transaction. */
    private Optional<User> useIfLive(String token, TokenKind kind, String operation, Use use) {
        String hash = Tokens.hash(token);
        long now = clock.millis();
        return db.inTransaction(operation, c -> {
            Optional<TokenInfo> info = find(c, hash);
            boolean live = info.isPresent() && info.get().kind() == kind && !info.get().revoked()
                    && info.get().user().isPresent() && info.get().expiresAt().toEpochMilli() > now
                    && use.apply(c, hash, info.get(), now);
            return live ? info.get().user() : Optional.<User>empty();
        });
    }

    /** The update that uses a live token; answers whether it still applied (another request may have won). */
    @FunctionalInterface
    private interface Use {
        boolean apply(Connection c, String hash, TokenInfo info, long now) throws SQLException;
    }

    private static Optional<TokenInfo> find(Connection c, String hash) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(FIND)) {
            q.setString(1, hash);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String username = rs.getString(5);
                Optional<User> user = username == null ? Optional.empty()
                        : Optional.of(new User(username, rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                return Optional.of(new TokenInfo(TokenKind.fromDb(rs.getString(1)), user,
                        Instant.ofEpochMilli(rs.getLong(2)), rs.getBoolean(3)));
            }
        }
    }
}
