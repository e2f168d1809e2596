package dev.speckitty.cli.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The queues spec-kitty 3.x keeps per server, user and team under {@code queues/} of the home
 * ({@code queue-<first 16 hex of SHA-256("server|user|team")>.db}), which this tool does not drain:
 * {@code sync status} counts their events so that none wait unnoticed. Read-only ({@code query_only},
 * nothing created); bounded to {@link #MAX_FILES} files; a file that cannot be read is reported with
 * the reason instead of a count. Stateless.
 */
public final class ScopedQueues {
    /** The most files read; more are counted, not opened. */
    public static final int MAX_FILES = 32;
    private static final Pattern NAME = Pattern.compile("queue-[0-9a-f]{16}\\.db");

    private ScopedQueues() {
    }

    /** One scoped queue: its file, and its event count or why it could not be read. */
    public record Queue(Path file, long events, Optional<String> problem) {
    }

    /** What {@code queues/} holds: the files read (in name order) and how many more were left unread. */
    public record Found(List<Queue> queues, int unread) {
        public static final Found NONE = new Found(List.of(), 0);

        /** The queues holding events (or unreadable): what status reports. */
        public List<Queue> waiting() {
            List<Queue> out = new ArrayList<>();
            for (Queue q : queues) {
                if (q.events() > 0 || q.problem().isPresent()) {
                    out.add(q);
                }
            }
            return out;
        }
    }

    /** The scoped queues in {@code dir}; {@link Found#NONE} when it does not exist (the common case, checked first). */
    public static Found scan(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Found.NONE;
        }
        List<Path> files = new ArrayList<>();
        int unread = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!NAME.matcher(p.getFileName().toString()).matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (files.size() < MAX_FILES) {
                    files.add(p);
                } else {
                    unread++;
                }
            }
        } catch (IOException e) {
            return new Found(List.of(new Queue(dir, 0, Optional.of("cannot list the directory (" + e.getMessage() + ")"))), 0);
        }
        files.sort(null);
        List<Queue> queues = new ArrayList<>(files.size());
        for (Path f : files) {
            queues.add(count(f));
        }
        return new Found(queues, unread);
    }

    private static Queue count(Path file) {
        try (Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, new java.util.Properties());
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 2000");
            s.execute("PRAGMA query_only = 1");
            try (ResultSet t = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'queue'")) {
                if (!t.next()) {
                    return new Queue(file, 0, Optional.empty());
                }
            }
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM queue")) {
                r.next();
                return new Queue(file, r.getLong(1), Optional.empty());
            }
        } catch (SQLException e) {
            return new Queue(file, 0, Optional.of("cannot read it (" + dev.speckitty.protocol.Printable.clip(
                    String.valueOf(e.getMessage()), 120) + ")"));
        }
    }
}
