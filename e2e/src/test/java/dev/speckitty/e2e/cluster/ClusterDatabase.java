package dev.speckitty.e2e.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** A fresh PostgreSQL database with a random name on the test server ({@code SPEC_KITTY_TEST_PG_URL}), dropped on close. */
final class ClusterDatabase implements AutoCloseable {
    static final String URL_ENV = "SPEC_KITTY_TEST_PG_URL";

    private final String admin;
    private final String name;
    private final String url;

    private ClusterDatabase(String admin, String name, String url) {
        this.admin = admin;
        this.name = name;
        this.url = url;
    }

    static boolean available() {
        String url = System.getenv(URL_ENV);
        return url != null && !url.isBlank();
    }

    static ClusterDatabase create() throws SQLException {
        String admin = System.getenv(URL_ENV);
        String name = "sk_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int q = admin.indexOf('?');
        String base = q < 0 ? admin : admin.substring(0, q);
        String query = q < 0 ? "" : admin.substring(q);
        return new ClusterDatabase(admin, name, base.substring(0, base.lastIndexOf('/') + 1) + name + query);
    }

    String url() {
        return url;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
