package dev.speckitty.server.store.sqlite;

import dev.speckitty.server.store.SqlTokenStore;
import dev.speckitty.server.store.OAuthCodes;
import dev.speckitty.server.store.SqlOAuthCodes;
import dev.speckitty.server.store.SqlUserStore;

import dev.speckitty.server.store.CommitListener;
import dev.speckitty.server.store.EventStore;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.TokenStore;
import dev.speckitty.server.store.UserStore;
import java.nio.file.Path;
import java.time.Clock;

/** The SQLite {@link Storage}: one {@code server.db} file in the data directory. */
public final class SqliteStorage implements Storage {
    private final SqliteDatabase db;
    private final SqliteEventStore events;
    private final SqlUserStore users;
    private final SqlTokenStore tokens;
    private final SqlOAuthCodes oauthCodes;

    private SqliteStorage(SqliteDatabase db, Clock clock, CommitListener listener) {
        this.db = db;
        this.events = new SqliteEventStore(db, clock, listener);
        this.users = new SqlUserStore(db, clock);
        this.tokens = new SqlTokenStore(db, clock);
        this.oauthCodes = new SqlOAuthCodes(db, clock);
    }

    /** Opens (creating and migrating if needed) {@code <dataDir>/server.db}. */
    public static SqliteStorage open(Path dataDir, Clock clock, CommitListener listener, int poolSize) {
        return new SqliteStorage(SqliteDatabase.open(dataDir, poolSize), clock, listener);
    }

    /** For one-shot commands such as {@code user add}: a small pool and no listener. */
    public static SqliteStorage open(Path dataDir) {
        return open(dataDir, Clock.systemUTC(), CommitListener.NONE, 2);
    }

    /** The schema version this code writes. */
    public static int schemaVersion() {
        return SqliteSchema.latestVersion();
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public OAuthCodes oauthCodes() {
        return oauthCodes;
    }

    @Override
    public String describe() {
        return "sqlite:" + db.file();
    }

    @Override
    public void close() {
        db.close();
    }
}
