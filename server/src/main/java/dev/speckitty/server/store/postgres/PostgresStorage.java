package dev.speckitty.server.store.postgres;

import dev.speckitty.server.store.SqlTokenStore;
import dev.speckitty.server.store.OAuthCodes;
import dev.speckitty.server.store.SqlOAuthCodes;
import dev.speckitty.server.store.SqlUserStore;

import dev.speckitty.server.store.CommitListener;
import dev.speckitty.server.store.EventStore;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.TokenStore;
import dev.speckitty.server.store.UserStore;
import java.time.Clock;

/**
 * The PostgreSQL {@link Storage}: several server instances may share one database. Events any
 * instance commits reach this instance's listener through LISTEN/NOTIFY ({@link PostgresFanout}).
 */
public final class PostgresStorage implements Storage {
    private final PostgresDatabase db;
    private final PostgresFanout fanout;
    private final PostgresEventStore events;
    private final SqlUserStore users;
    private final SqlTokenStore tokens;
    private final SqlOAuthCodes oauthCodes;

    private PostgresStorage(PostgresDatabase db, Clock clock, CommitListener listener) {
        this.db = db;
        this.fanout = new PostgresFanout(db, listener);
        this.events = new PostgresEventStore(db, clock, fanout);
        this.users = new SqlUserStore(db, clock);
        this.tokens = new SqlTokenStore(db, clock);
        this.oauthCodes = new SqlOAuthCodes(db, clock);
    }

    /**
     * Connects to {@code jdbc:postgresql://…} (creating and migrating the schema if needed); with a
     * listener other than {@link CommitListener#NONE} it also listens for other instances' commits.
     */
    public static PostgresStorage open(String jdbcUrl, Clock clock, CommitListener listener, int poolSize) {
        PostgresStorage storage = new PostgresStorage(PostgresDatabase.open(jdbcUrl, poolSize), clock, listener);
        if (listener != CommitListener.NONE) {
            storage.fanout.start();
        }
        return storage;
    }

    /** For one-shot commands such as {@code user add}: a small pool and no listener. */
    public static PostgresStorage open(String jdbcUrl) {
        return open(jdbcUrl, Clock.systemUTC(), CommitListener.NONE, 2);
    }

    /** The schema version this code writes. */
    public static int schemaVersion() {
        return PostgresSchema.latestVersion();
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
        return "postgresql:" + db.describe().substring("jdbc:postgresql:".length());
    }

    @Override
    public void close() {
        fanout.close();
        db.close();
    }
}
