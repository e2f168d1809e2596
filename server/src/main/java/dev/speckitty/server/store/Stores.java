package dev.speckitty.server.store;

import dev.speckitty.server.store.postgres.PostgresStorage;
import dev.speckitty.server.store.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Picks the storage: PostgreSQL when a {@code jdbc:postgresql:} URL is given, SQLite in the data directory otherwise. Stateless. */
public final class Stores {
    private Stores() {
    }

    public static Storage open(Optional<String> databaseUrl, Path dataDir, Clock clock, CommitListener listener, int poolSize) {
        return databaseUrl.isPresent()
                ? PostgresStorage.open(databaseUrl.get(), clock, listener, poolSize)
                : SqliteStorage.open(dataDir, clock, listener, poolSize);
    }

    /** For one-shot commands such as {@code user add}: a small pool and no listener. */
    public static Storage open(Optional<String> databaseUrl, Path dataDir) {
        return open(databaseUrl, dataDir, Clock.systemUTC(), CommitListener.NONE, 2);
    }
}
