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
 * {@link OAuthCodes} on the {@code oauth_codes} table of either store (portable SQL). Expired codes
 * are kept a day (so an expired code answers {@code expired_token}, not "unknown"), then purged on the
 * next insert. Thread-safe.
 */
public final class SqlOAuthCodes implements OAuthCodes {
    private static final long PURGE_AFTER_MS = Duration.ofDays(1).toMillis();
    private static final String DEVICE = "device";
    private static final String AUTHORIZATION = "authorization";

    private final SqlDatabase db;
    private final Clock clock;

    public SqlOAuthCodes(SqlDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public int live() {
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM oauth_codes WHERE expires_at > ?")) {
            q.setLong(1, clock.millis());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw db.failure("count OAuth codes", e);
        }
    }

    @Override
    public boolean addDevice(String deviceCode, String userCode, String clientId, String scope, Duration ttl, Duration interval) {
        long now = clock.millis();
        return db.inTransaction("store a device code", c -> {
            purge(c, now);
            // An expired code keeps its user code for a day: free it for a new one.
            try (PreparedStatement free = c.prepareStatement("UPDATE oauth_codes SET user_code_hash = NULL WHERE user_code_hash = ? "
                    + "AND expires_at <= ?")) {
                free.setString(1, Tokens.hash(userCode));
                free.setLong(2, now);
                free.executeUpdate();
            }
            try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM oauth_codes WHERE user_code_hash = ?")) {
                taken.setString(1, Tokens.hash(userCode));
                try (ResultSet rs = taken.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO oauth_codes(code_hash, kind, user_code_hash, client_id, scope, "
                    + "state, expires_at, interval_ms, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)")) {
                ins.setString(1, Tokens.hash(deviceCode));
                ins.setString(2, DEVICE);
                ins.setString(3, Tokens.hash(userCode));
                ins.setString(4, clientId);
                ins.setString(5, scope);
                ins.setLong(6, now + ttl.toMillis());
                ins.setLong(7, interval.toMillis());
                ins.setLong(8, now);
                ins.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<Instant> pendingDevice(String userCode) {
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT expires_at FROM oauth_codes "
                + "WHERE user_code_hash = ? AND kind = ? AND state = 'pending' AND expires_at > ?")) {
            q.setString(1, Tokens.hash(userCode));
            q.setString(2, DEVICE);
            q.setLong(3, clock.millis());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw db.failure("look up a user code", e);
        }
    }

    @Override
    public boolean decideDevice(String userCode, String username, boolean approve) {
        long now = clock.millis();
        return db.inTransaction("decide a device code", c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE oauth_codes SET state = ?, user_id = (SELECT id FROM users WHERE "
                    + "username = ?) WHERE user_code_hash = ? AND kind = ? AND state = 'pending' AND expires_at > ?")) {
                up.setString(1, approve ? "approved" : "denied");
                up.setString(2, username);
                up.setString(3, Tokens.hash(userCode));
                up.setString(4, DEVICE);
                up.setLong(5, now);
                return up.executeUpdate() == 1;
            }
        });
    }

    @Override
    public DevicePoll pollDevice(String deviceCode, Duration slowDownStep) {
        String hash = Tokens.hash(deviceCode);
        long now = clock.millis();
        return db.inTransaction("poll a device code", c -> {
            String state;
            long expiresAt;
            long interval;
            Long lastPoll;
            Optional<String> username;
            String scope;
            try (PreparedStatement q = c.prepareStatement("SELECT o.state, o.expires_at, o.interval_ms, o.last_poll_at, u.username, o.scope "
                    + "FROM oauth_codes o LEFT JOIN users u ON u.id = o.user_id WHERE o.code_hash = ? AND o.kind = ?")) {
                q.setString(1, hash);
                q.setString(2, DEVICE);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return new DevicePoll.Unknown();
                    }
                    state = rs.getString(1);
                    expiresAt = rs.getLong(2);
                    interval = rs.getLong(3);
                    long lp = rs.getLong(4);
                    lastPoll = rs.wasNull() ? null : lp;
                    username = Optional.ofNullable(rs.getString(5));
                    scope = rs.getString(6);
                }
            }
            if (state.equals("used")) {
                return new DevicePoll.Used();
            }
            if (expiresAt <= now) {
                return new DevicePoll.Expired();
            }
            if (state.equals("denied")) {
                return new DevicePoll.Denied();
            }
            if (state.equals("approved")) {
                if (username.isEmpty() || !claim(c, hash, "approved", now)) {
                    return username.isEmpty() ? new DevicePoll.Denied() : new DevicePoll.Used();
                }
                return new DevicePoll.Approved(username.get(), scope);
            }
            // Pending. Polls a tenth early still count as on time: clocks and schedulers are not exact.
            boolean tooSoon = lastPoll != null && now - lastPoll < interval - interval / 10;
            long next = tooSoon ? interval + slowDownStep.toMillis() : interval;
            try (PreparedStatement up = c.prepareStatement("UPDATE oauth_codes SET last_poll_at = ?, interval_ms = ? WHERE code_hash = ?")) {
                up.setLong(1, now);
                up.setLong(2, next);
                up.setString(3, hash);
                up.executeUpdate();
            }
            return tooSoon ? new DevicePoll.SlowDown(Duration.ofMillis(next)) : new DevicePoll.Pending(Duration.ofMillis(next));
        });
    }

    /** Marks a code used if it is still in {@code from}; true for the one request that did. */
    private static boolean claim(Connection c, String hash, String from, long now) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE oauth_codes SET state = 'used', used_at = ? WHERE code_hash = ? AND state = ?")) {
            up.setLong(1, now);
            up.setString(2, hash);
            up.setString(3, from);
            return up.executeUpdate() == 1;
        }
    }

    @Override
    public void addAuthorization(String code, String username, String clientId, String scope, String redirectUri, String codeChallenge,
            Duration ttl) {
        long now = clock.millis();
        db.inTransaction("store an authorization code", c -> {
            purge(c, now);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO oauth_codes(code_hash, kind, client_id, scope, redirect_uri, "
                    + "code_challenge, user_id, state, expires_at, interval_ms, created_at) "
                    + "SELECT ?, ?, ?, ?, ?, ?, id, 'approved', ?, 0, ? FROM users WHERE username = ?")) {
                ins.setString(1, Tokens.hash(code));
                ins.setString(2, AUTHORIZATION);
                ins.setString(3, clientId);
                ins.setString(4, scope);
                ins.setString(5, redirectUri);
                ins.setString(6, codeChallenge);
                ins.setLong(7, now + ttl.toMillis());
                ins.setLong(8, now);
                ins.setString(9, username);
                if (ins.executeUpdate() != 1) {
                    throw new IllegalArgumentException("user '" + username + "' does not exist; cannot issue a code");
                }
            }
            return null;
        });
    }

    @Override
    public Redemption redeemAuthorization(String code) {
        String hash = Tokens.hash(code);
        long now = clock.millis();
        return db.inTransaction("redeem an authorization code", c -> {
            boolean claimed = claim(c, hash, "approved", now);
            try (PreparedStatement q = c.prepareStatement("SELECT o.expires_at, u.username, o.client_id, o.scope, o.redirect_uri, "
                    + "o.code_challenge, o.family FROM oauth_codes o LEFT JOIN users u ON u.id = o.user_id WHERE o.code_hash = ? AND o.kind = ?")) {
                q.setString(1, hash);
                q.setString(2, AUTHORIZATION);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return new Redemption.Unknown();
                    }
                    if (!claimed) {
                        return new Redemption.Replayed(Optional.ofNullable(rs.getString(7)));
                    }
                    if (rs.getLong(1) <= now) {
                        return new Redemption.Expired();
                    }
                    return new Redemption.Claimed(Optional.ofNullable(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6));
                }
            }
        });
    }

    @Override
    public void recordFamily(String code, String family) {
        try (Connection c = db.connection(); PreparedStatement up = c.prepareStatement("UPDATE oauth_codes SET family = ? WHERE code_hash = ?")) {
            up.setString(1, family);
            up.setString(2, Tokens.hash(code));
            up.executeUpdate();
        } catch (SQLException e) {
            throw db.failure("record the login of an authorization code", e);
        }
    }

    private static void purge(Connection c, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM oauth_codes WHERE expires_at < ?")) {
            p.setLong(1, now - PURGE_AFTER_MS);
            p.executeUpdate();
        }
    }
}
