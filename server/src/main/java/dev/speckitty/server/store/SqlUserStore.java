package dev.speckitty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link UserStore} on the {@code users} table of either store (portable SQL); no caching, so another process's changes show at once. */
public final class SqlUserStore implements UserStore {
    /** Hashed against when the user is unknown, so a wrong name costs as long as a wrong password. */
    private static final byte[] DUMMY_SALT = new byte[16];

    private final SqlDatabase db;
    private final Clock clock;

    public SqlUserStore(SqlDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public User add(String username, String team, String password) {
        AccountRules.check(username, team, password);
        byte[] salt = PasswordHasher.newSalt();
        byte[] hash = PasswordHasher.hash(password, salt, PasswordHasher.ITERATIONS);
        Instant now = clock.instant();
        try (Connection c = db.connection();
                PreparedStatement ins = c.prepareStatement("INSERT INTO users(username, team, salt, password_hash, iterations, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO NOTHING")) {
            ins.setString(1, username);
            ins.setString(2, team);
            ins.setBytes(3, salt);
            ins.setBytes(4, hash);
            ins.setInt(5, PasswordHasher.ITERATIONS);
            ins.setLong(6, now.toEpochMilli());
            if (ins.executeUpdate() == 0) {
                throw new IllegalArgumentException("username: '" + username + "' already exists. "
                        + "Pick another name, or remove the existing user first");
            }
        } catch (SQLException e) {
            throw db.failure("add user " + username, e);
        }
        return new User(username, team, Instant.ofEpochMilli(now.toEpochMilli()));
    }

    @Override
    public boolean remove(String username) {
        try (Connection c = db.connection(); PreparedStatement del = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
            del.setString(1, username);
            return del.executeUpdate() > 0;
        } catch (SQLException e) {
            throw db.failure("remove user " + username, e);
        }
    }

    @Override
    public List<User> list() {
        List<User> users = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement q = c.prepareStatement("SELECT username, team, created_at FROM users ORDER BY username");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                users.add(new User(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
        } catch (SQLException e) {
            throw db.failure("list users", e);
        }
        return users;
    }

    @Override
    public Optional<User> authenticate(String username, String password) {
        if (username == null || password == null || !AccountRules.USERNAME.matcher(username).matches()) {
            // No such account can exist; nor can a name with NUL reach PostgreSQL, which refuses it.
            return Optional.empty();
        }
        try (Connection c = db.connection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT team, salt, password_hash, iterations, created_at FROM users WHERE username = ?")) {
            q.setString(1, username);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    PasswordHasher.hash(password, DUMMY_SALT, PasswordHasher.ITERATIONS);
                    return Optional.empty();
                }
                User user = new User(username, rs.getString(1), Instant.ofEpochMilli(rs.getLong(5)));
                boolean ok = PasswordHasher.verify(password, rs.getBytes(2), rs.getInt(4), rs.getBytes(3));
                return ok ? Optional.of(user) : Optional.empty();
            }
        } catch (SQLException e) {
            throw db.failure("check the password of user " + username, e);
        }
    }
}
