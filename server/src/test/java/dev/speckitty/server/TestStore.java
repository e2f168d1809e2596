package dev.speckitty.server;

import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which store the server tests run on: SQLite (default) or PostgreSQL with
 * {@code -Dspeckitty.test.store=postgres} (the second surefire execution). On PostgreSQL every test
 * data directory gets its own fresh database, created on first use and dropped after its test class
 * ({@link StoreExtension}); the server URL comes from {@code SPEC_KITTY_TEST_PG_URL}.
 */
public final class TestStore {
    public static final String URL_ENV = "SPEC_KITTY_TEST_PG_URL";
    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
    private static final List<String> CREATED = new ArrayList<>();

    private TestStore() {
    }

    public static boolean postgres() {
        return "postgres".equals(System.getProperty("speckitty.test.store", "sqlite"));
    }

    /** {@code ServerOptions.loopback(dir)} on the store under test; the same dir means the same database. */
    public static ServerOptions loopback(Path dir) {
        ServerOptions o = ServerOptions.loopback(dir);
        return postgres() ? o.withDatabaseUrl(databaseUrl(dir)) : o;
    }

    /** A second handle on the store of {@code dir}, as {@code spec-kitty-server user …} opens it. */
    public static Storage storage(Path dir) {
        return Stores.open(postgres() ? Optional.of(databaseUrl(dir)) : Optional.empty(), dir);
    }

    /** The command-line options that select the store of {@code dir}. */
    public static List<String> cliArgs(Path dir) {
        return postgres() ? List.of("--db", databaseUrl(dir)) : List.of("--data", dir.toString());
    }

    /** The JDBC URL of the fresh database belonging to {@code dir}. */
    public static String databaseUrl(Path dir) {
        return DATABASES.computeIfAbsent(dir.toAbsolutePath(), d -> createDatabase());
    }

    /** Creates an empty database with a random name on the test server; returns its JDBC URL. */
    public static String createDatabase() {
        String admin = adminUrl();
        String name = "sk_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + ServerOptions.redact(admin)
                    + ": " + e.getMessage() + ". Is PostgreSQL running? (.ci/setup-postgres.sh starts one)", e);
        }
        synchronized (CREATED) {
            CREATED.add(name);
        }
        return withDatabase(admin, name);
    }

    /** Drops every database created so far (after a test class; servers are closed by then). */
    public static void dropAll() {
        List<String> names;
        synchronized (CREATED) {
            names = List.copyOf(CREATED);
            CREATED.clear();
        }
        DATABASES.clear();
        if (names.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl()); Statement s = c.createStatement()) {
            for (String name : names) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test databases " + names + ": " + e.getMessage(), e);
        }
    }

    static String adminUrl() {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(URL_ENV + " is not set");
        }
        return url;
    }

    private static String withDatabase(String url, String name) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + query;
    }
}
