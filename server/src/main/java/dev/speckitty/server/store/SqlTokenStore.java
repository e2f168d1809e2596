package dev.speckitty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link TokenStore} on the {@code tokens} and {@code token_families} tables of either store (the SQL
 * is portable between SQLite and PostgreSQL); tokens are looked up by SHA-256 hash, never stored in
 * clear. A refresh claims its token with one conditional UPDATE, so of two requests racing with the
 * same token exactly one rotates it (SQLite's IMMEDIATE transactions queue them; on PostgreSQL the
 * loser waits for the winner's row lock, then finds the token rotated and reads its successor).
 * Thread-safe.
 */
public final class SqlTokenStore implements TokenStore {
    private static final long PURGE_AFTER_MS = Duration.ofDays(1).toMillis();
    private static final String FIND = "SELECT t.kind, t.expires_at, t.revoked, t.user_id, u.username, u.team, u.created_at, "
            + "t.family, t.rotated_at, t.successor FROM tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?";
    /** Families per query of {@link #liveFamilies}. */
    private static final int IN_CHUNK = 500;

    private final SqlDatabase db;
    private final Clock clock;

    public SqlTokenStore(SqlDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A token row as read, with what only refresh rotation needs. */
    private record Row(TokenInfo info, Long rotatedAt, byte[] successor) {
    }

    @Override
    public TokenPair login(String username, Duration accessTtl, Duration refreshTtl) {
        long now = clock.millis();
        return db.inTransaction("log in user " + username, c -> {
            String family = Tokens.newToken();
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO token_families(id, user_id, revoked, created_at) SELECT ?, id, ?, ? FROM users WHERE username = ?")) {
                ins.setString(1, family);
                ins.setBoolean(2, false);
                ins.setLong(3, now);
                ins.setString(4, username);
                if (ins.executeUpdate() == 0) {
                    throw new IllegalArgumentException("user '" + username + "' does not exist; cannot issue tokens");
                }
            }
            TokenPair pair = pair(c, family, accessTtl, refreshTtl, now);
            purge(c, now);
            return pair;
        });
    }

    @Override
    public String issueWs(Principal principal, Duration ttl) {
        long now = clock.millis();
        return db.inTransaction("issue a ws token for user " + principal.user().username(), c -> {
            String token = insert(c, family(principal), TokenKind.WS, ttl, now);
            purge(c, now);
            return token;
        });
    }

    private static String family(Principal principal) {
        return principal.family();
    }

    /** Inserts an access and a refresh token in {@code family}. */
    private static TokenPair pair(Connection c, String family, Duration accessTtl, Duration refreshTtl, long now) throws SQLException {
        return new TokenPair(insert(c, family, TokenKind.ACCESS, accessTtl, now), insert(c, family, TokenKind.REFRESH, refreshTtl, now),
                accessTtl.toSeconds(), refreshTtl.toSeconds());
    }

    /** A new token of {@code kind} in {@code family}, for the family's account. */
    private static String insert(Connection c, String family, TokenKind kind, Duration ttl, long now) throws SQLException {
        String token = Tokens.newToken();
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO tokens(token_hash, kind, user_id, expires_at, revoked, created_at, family) "
                        + "SELECT ?, ?, user_id, ?, ?, ?, id FROM token_families WHERE id = ?")) {
            ins.setString(1, Tokens.hash(token));
            ins.setString(2, kind.dbName());
            ins.setLong(3, now + ttl.toMillis());
            ins.setBoolean(4, false);
            ins.setLong(5, now);
            ins.setString(6, family);
            if (ins.executeUpdate() == 0) {
                throw new IllegalStateException("token family is gone; cannot issue a " + kind.dbName() + " token");
            }
        }
        return token;
    }

    /**
     * Keeps the tables from growing forever: tokens expired for a day (a day's grace keeps "expired",
     * 401, distinguishable from "unknown"), families without tokens, and successors past their grace.
     */
    private static void purge(Connection c, long now) throws SQLException {
        try (PreparedStatement purge = c.prepareStatement("DELETE FROM tokens WHERE expires_at < ?")) {
            purge.setLong(1, now - PURGE_AFTER_MS);
            purge.executeUpdate();
        }
        try (PreparedStatement purge = c.prepareStatement(
                "DELETE FROM token_families WHERE NOT EXISTS (SELECT 1 FROM tokens t WHERE t.family = token_families.id)")) {
            purge.executeUpdate();
        }
        try (PreparedStatement wipe = c.prepareStatement("UPDATE tokens SET successor = NULL WHERE successor IS NOT NULL AND rotated_at < ?")) {
            wipe.setLong(1, now - REFRESH_GRACE.toMillis());
            wipe.executeUpdate();
        }
    }

    @Override
    public Optional<TokenInfo> find(String token) {
        try (Connection c = db.connection()) {
            return row(c, Tokens.hash(token)).map(Row::info);
        } catch (SQLException e) {
            throw db.failure("look up a token", e);
        }
    }

    @Override
    public Optional<Principal> consume(String token, TokenKind kind) {
        String hash = Tokens.hash(token);
        long now = clock.millis();
        return db.inTransaction("use a " + kind.dbName() + " token", c -> {
            Optional<TokenInfo> info = row(c, hash).map(Row::info);
            if (info.isEmpty() || info.get().kind() != kind || info.get().revoked() || info.get().user().isEmpty()
                    || info.get().expiresAt().toEpochMilli() <= now) {
                return Optional.<Principal>empty();
            }
            try (PreparedStatement up = c.prepareStatement("UPDATE tokens SET revoked = ? WHERE token_hash = ? AND revoked = ?")) {
                // Booleans as parameters: SQLite stores 1/0, PostgreSQL a BOOLEAN; the SQL is the same.
                up.setBoolean(1, true);
                up.setString(2, hash);
                up.setBoolean(3, false);
                if (up.executeUpdate() != 1) {
                    return Optional.<Principal>empty(); // another request used it first
                }
            }
            return Optional.of(new Principal(info.get().user().get(), info.get().family()));
        });
    }

    @Override
    public Refresh refresh(String refreshToken, Duration accessTtl, Duration refreshTtl) {
        String hash = Tokens.hash(refreshToken);
        long now = clock.millis();
        return db.inTransaction("refresh a token", c -> {
            boolean claimed;
            try (PreparedStatement claim = c.prepareStatement("UPDATE tokens SET rotated_at = ? WHERE token_hash = ? AND kind = ? "
                    + "AND rotated_at IS NULL AND revoked = ? AND expires_at > ?")) {
                claim.setLong(1, now);
                claim.setString(2, hash);
                claim.setString(3, TokenKind.REFRESH.dbName());
                claim.setBoolean(4, false);
                claim.setLong(5, now);
                claimed = claim.executeUpdate() == 1;
            }
            Optional<Row> found = row(c, hash);
            if (found.isEmpty() || found.get().info().kind() != TokenKind.REFRESH || found.get().info().user().isEmpty()) {
                return new Refresh.Refused();
            }
            Row row = found.get();
            User user = row.info().user().get();
            if (claimed) {
                TokenPair successor = pair(c, row.info().family(), accessTtl, refreshTtl, now);
                try (PreparedStatement keep = c.prepareStatement("UPDATE tokens SET successor = ? WHERE token_hash = ?")) {
                    keep.setBytes(1, SuccessorSeal.seal(refreshToken, hash, successor));
                    keep.setString(2, hash);
                    keep.executeUpdate();
                }
                purge(c, now);
                return new Refresh.Renewed(user, successor);
            }
            if (row.info().revoked() || row.info().expiresAt().toEpochMilli() <= now || row.rotatedAt() == null) {
                return new Refresh.Refused();
            }
            if (now - row.rotatedAt() <= REFRESH_GRACE.toMillis()) {
                Optional<TokenPair> again = SuccessorSeal.open(refreshToken, hash, row.successor());
                if (again.isPresent()) {
                    return new Refresh.Renewed(user, again.get());
                }
            }
            revokeFamily(c, row.info().family());
            return new Refresh.Reused();
        });
    }

    private static void revokeFamily(Connection c, String family) throws SQLException {
        try (PreparedStatement f = c.prepareStatement("UPDATE token_families SET revoked = ? WHERE id = ?");
                PreparedStatement t = c.prepareStatement("UPDATE tokens SET revoked = ?, successor = NULL WHERE family = ?")) {
            f.setBoolean(1, true);
            f.setString(2, family);
            f.executeUpdate();
            t.setBoolean(1, true);
            t.setString(2, family);
            t.executeUpdate();
        }
    }

    @Override
    public Set<String> liveFamilies(Collection<String> families) {
        Set<String> live = new HashSet<>();
        List<String> all = new ArrayList<>(new HashSet<>(families));
        try (Connection c = db.connection()) {
            for (int from = 0; from < all.size(); from += IN_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
                String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement q = c.prepareStatement("SELECT f.id FROM token_families f JOIN users u ON u.id = f.user_id "
                        + "WHERE f.revoked = ? AND f.id IN (" + marks + ")")) {
                    q.setBoolean(1, false);
                    for (int i = 0; i < chunk.size(); i++) {
                        q.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            live.add(rs.getString(1));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw db.failure("check " + all.size() + " token families", e);
        }
        return live;
    }

    @Override
    public void revokeFamily(String family) {
        db.inTransaction("revoke a login", c -> {
            revokeFamily(c, family);
            return null;
        });
    }

    @Override
    public int revokeAll(String username) {
        return db.inTransaction("revoke the tokens of user " + username, c -> {
            int families;
            try (PreparedStatement f = c.prepareStatement("UPDATE token_families SET revoked = ? WHERE revoked = ? "
                    + "AND user_id IN (SELECT id FROM users WHERE username = ?)")) {
                f.setBoolean(1, true);
                f.setBoolean(2, false);
                f.setString(3, username);
                families = f.executeUpdate();
            }
            try (PreparedStatement t = c.prepareStatement("UPDATE tokens SET revoked = ?, successor = NULL "
                    + "WHERE user_id IN (SELECT id FROM users WHERE username = ?)")) {
                t.setBoolean(1, true);
                t.setString(2, username);
                t.executeUpdate();
            }
            return families;
        });
    }

    private static Optional<Row> row(Connection c, String hash) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(FIND)) {
            q.setString(1, hash);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String username = rs.getString(5);
                Optional<User> user = username == null ? Optional.empty()
                        : Optional.of(new User(username, rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                TokenInfo info = new TokenInfo(TokenKind.fromDb(rs.getString(1)), user, Instant.ofEpochMilli(rs.getLong(2)),
                        rs.getBoolean(3), rs.getString(8));
                long rotated = rs.getLong(9);
                Long rotatedAt = rs.wasNull() ? null : rotated;
                return Optional.of(new Row(info, rotatedAt, rs.getBytes(10)));
            }
        }
    }
}
