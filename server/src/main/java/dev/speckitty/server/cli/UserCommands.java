package dev.speckitty.server.cli;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.server.store.User;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.Stores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spec-kitty-server user add|list|remove}: manage accounts directly in {@code <data>/server.db};
 * safe while {@code run} is serving the same directory (the server reads accounts on every request).
 */
public final class UserCommands {
    private UserCommands() {
    }

    public static CommandLine commandLine(Io io) {
        CommandLine user = new CommandLine(new Group());
        user.addSubcommand("add", new Add(io));
        user.addSubcommand("list", new ListUsers(io));
        user.addSubcommand("remove", new Remove(io));
        user.addSubcommand("revoke", new Revoke(io));
        return user;
    }

    /** Where the accounts live: {@code --data DIR} (SQLite) or {@code --db URL} (PostgreSQL); shared by the subcommands. */
    static final class Store {
        @Option(names = "--data", paramLabel = "DIR", description = "Data directory of a SQLite server (server.db).")
        Path data;

        @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = "${env:SPEC_KITTY_SERVER_DB}",
                description = "PostgreSQL database of the server (default: $SPEC_KITTY_SERVER_DB).")
        String db;

        /** Opens the store; {@code mustExist}: a reading command must not create an empty SQLite database at a mistyped path. */
        Storage open(CommandSpec spec, boolean mustExist) {
            ServerOptions options = RunCommand.storeOptions(spec, data, db);
            if (options.databaseUrl().isEmpty() && mustExist) {
                requireDataDir(data);
            } else if (options.databaseUrl().isEmpty()) {
                DataDirectory.create(data);
            }
            return Stores.open(options.databaseUrl(), options.dataDir());
        }

        String describe() {
            return db != null && !db.isBlank() ? ServerOptions.redact(db) : data.resolve("server.db").toString();
        }

        String flag() {
            return db != null && !db.isBlank() ? "--db URL" : "--data " + data;
        }
    }

    /** Says there is no such user and what to run to see who there is; answers the exit code 1. */
    private static int noSuchUser(Io io, Store store, String username) {
        io.err().println("error: no user '" + username + "' in " + store.describe() + "; see spec-kitty-server user list " + store.flag());
        return 1;
    }

    /** Reading commands must not create an empty database where the user mistyped a path. */
    static void requireDataDir(Path data) {
        if (!java.nio.file.Files.isRegularFile(data.resolve("server.db"))) {
            throw new IllegalStateException("no server database in " + data + " (expected " + data.resolve("server.db")
                    + "); check --data, or create it with spec-kitty-server user add or run");
        }
    }

    /** {@code user}: the group; without a subcommand it prints usage. */
    @Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the server's user accounts.")
    static final class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: add, list, remove or revoke");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user; the password is read from stdin (one line).")
    static final class Add implements Callable<Integer> {
        private final Io io;

        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Store store = new Store();

        @Option(names = "--username", required = true, paramLabel = "NAME", description = "The name the user logs in with.")
        String username;

        @Option(names = "--team", required = true, description = "Team slug, e.g. team-a.")
        String team;

        @Option(names = "--password-stdin", required = true,
                description = "Read the password from the first line of stdin (never from the command line).")
        boolean passwordStdin;

        Add(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws IOException {
            String password = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)).readLine();
            if (password == null || password.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--password-stdin: no password on stdin (expected: one non-empty line)");
            }
            try (Storage storage = store.open(spec, false)) {
                User u = storage.users().add(username, team, password);
                io.out().println("added user " + u.username() + " (team " + u.team() + ")");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class ListUsers implements Callable<Integer> {
        private final Io io;

        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Store store = new Store();

        @Option(names = "--json", description = "Print a JSON array of {username, team, created_at}.")
        boolean json;

        ListUsers(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            List<User> users;
            try (Storage storage = store.open(spec, true)) {
                users = storage.users().list();
            }
            if (json) {
                io.out().println(Json.write(users.stream().map(u -> Map.of("username", u.username(), "team", u.team(),
                        "created_at", u.createdAt().toString())).toList()));
            } else if (users.isEmpty()) {
                io.out().println("no users; add one with: spec-kitty-server user add " + store.flag()
                        + " --username NAME --team TEAM --password-stdin");
            } else {
                io.out().printf("%-24s %-24s %s%n", "USERNAME", "TEAM", "CREATED");
                for (User u : users) {
                    io.out().printf("%-24s %-24s %s%n", u.username(), u.team(), u.createdAt());
                }
            }
            return 0;
        }
    }

    /**
     * A command about one existing user of the store: runs {@link #apply} on the open storage; a user
     * that is not there is an error (exit 1) naming where it looked. Subclasses say what to do.
     */
    abstract static class OneUser implements Callable<Integer> {
        final Io io;

        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Store store = new Store();

        @Option(names = "--username", required = true, paramLabel = "NAME", description = "The name the user logs in with.")
        String username;

        OneUser(Io io) {
            this.io = io;
        }

        /** Does the command's work; answers what to print, or empty when there is no such user. */
        abstract Optional<String> apply(Storage storage);

        @Override
        public Integer call() {
            Optional<String> done;
            try (Storage storage = store.open(spec, true)) {
                done = apply(storage);
            }
            if (done.isEmpty()) {
                return noSuchUser(io, store, username);
            }
            io.out().println(done.get());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user; its tokens stop working at once, its open WebSocket sessions end within seconds.")
    static final class Remove extends OneUser {
        Remove(Io io) {
            super(io);
        }

        @Override
        Optional<String> apply(Storage storage) {
            return storage.users().remove(username) ? Optional.of("removed user " + username) : Optional.empty();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Log a user out everywhere: revoke all its tokens; its open WebSocket sessions end within seconds.")
    static final class Revoke extends OneUser {
        Revoke(Io io) {
            super(io);
        }

        @Override
        Optional<String> apply(Storage storage) {
            if (storage.users().list().stream().noneMatch(u -> u.username().equals(username))) {
                return Optional.empty();
            }
            int logins = storage.tokens().revokeAll(username);
            return Optional.of("revoked the tokens of user " + username + " (" + logins + " login" + (logins == 1 ? "" : "s")
                    + "); it must log in again");
        }
    }
}
