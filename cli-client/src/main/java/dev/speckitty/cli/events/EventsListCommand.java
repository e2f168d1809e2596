package dev.speckitty.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.LeanJson;
import dev.speckitty.cli.local.QueueFileEvents;
import dev.speckitty.cli.Settings;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.cli.output.Durations;
import dev.speckitty.protocol.event.EventType;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.local.Timestamps;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spec-kitty events list}: the newest queued, parked and synced events, read from
 * {@code queue.db} without changing it (a missing file is no events, and nothing is created).
 */
@Command(name = "list", description = {
        "List the newest events, newest first: queued (not yet on the server), parked (rejected repeatedly) and synced.",
        "Reads SPEC_KITTY_HOME/queue.db without changing it, whether or not the daemon runs.",
        "WHO is `you` for events recorded on this machine, else the node id of the teammate's machine."})
public final class EventsListCommand extends CliCommand {
    /** How often {@code --follow} looks for new events; the daemon stores them as they come. */
    private static final long FOLLOW_POLL_MILLIS = 500;
    /** The largest {@code --limit}: a terminal page of events, not a dump (use --json and a pager for more). */
    static final int MAX_LIMIT = 100_000;

    @Option(names = "--aggregate", paramLabel = "ID", description = "Only events about this aggregate id.")
    String aggregate;

    @Option(names = "--type", paramLabel = "TYPE", completionCandidates = EventsEmitCommand.Types.class, description = "Only events of this type.")
    String type;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only events recorded since WHEN: a duration ago (30s, 15m, 2h, 7d) or an ISO-8601 time.")
    String since;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100", description = "The newest N events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-f", "--follow"}, description = "After the list, print new events as the daemon stores them (Ctrl-C to stop).")
    boolean follow;

    @Option(names = "--json", description = "Print a JSON array of the event envelopes, newest first (one envelope per line with --follow).")
    boolean json;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        if (type != null && EventType.fromWire(type).isEmpty() && dev.speckitty.protocol.event.Generation.V3.rules().type(type).isEmpty()) {
            throw CliException.usage("unknown event type '" + type + "' (expected one of: " + String.join(", ", EventType.wireNames()) + ")");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw CliException.usage("--limit: " + limit + " (expected: 1.." + MAX_LIMIT + ")");
        }
        QueueFileEvents.Query query = new QueueFileEvents.Query(Optional.ofNullable(aggregate), Optional.ofNullable(type),
                Optional.ofNullable(since).map(s -> sinceInstant(s, ctx.clock().instant())), limit);
        String self = ownNode(ctx);
        Optional<QueueFileEvents> opened = QueueFileEvents.open(ctx.home().queueDb(), Settings.currentScope(ctx).orElse(Scope.NONE).key());
        List<QueueFileEvents.Row> rows = opened.map(f -> f.newest(query)).orElse(List.of());
        long total = rows.size() < limit ? rows.size() : opened.get().count(query);
        try {
            if (json && !follow) {
                StringBuilder b = new StringBuilder("[");
                for (QueueFileEvents.Row r : rows) {
                    b.append(b.length() > 1 ? "," : "").append(jsonRow(r));
                }
                ctx.out().println(b.append(']'));
            } else if (json) {
                List<QueueFileEvents.Row> oldestFirst = new ArrayList<>(rows);
                Collections.reverse(oldestFirst);
                oldestFirst.forEach(r -> ctx.out().println(jsonRow(r)));
            } else {
                print(ctx.out(), rows, self, ctx.clock().instant(), query, follow);
                if (total > rows.size()) {
                    ctx.err().println("Showing the newest " + rows.size() + " of " + total + " events; see more with --limit N,"
                            + " or fewer with --since, --type or --aggregate");
                }
            }
            if (follow) {
                follow(ctx, opened, query, self);
            }
        } finally {
            opened.ifPresent(QueueFileEvents::close);
        }
        return ExitCodes.OK;
    }

    private void print(PrintStream out, List<QueueFileEvents.Row> rows, String self, Instant now, QueueFileEvents.Query q, boolean following) {
        if (rows.isEmpty()) {
            if (!following) {
                out.println("No events" + (q.aggregateId().isEmpty() && q.eventType().isEmpty() && q.since().isEmpty() ? "" : " match"));
            }
            return;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"LAMPORT", "WHO", "STATE", "TYPE", "AGGREGATE", "EVENT ID", "RECORDED"});
        // Newest first, unless following: then the newest is last, where new lines will appear.
        List<QueueFileEvents.Row> ordered = new ArrayList<>(rows);
        if (following) {
            Collections.reverse(ordered);
        }
        for (QueueFileEvents.Row r : ordered) {
            table.add(cells(r, self, now));
        }
        int[] widths = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
    }

    private static String[] cells(QueueFileEvents.Row r, String self, Instant now) {
        JsonNode e = tree(r.data());
        String node = e.path("node_id").asText("?");
        String ts = e.path("timestamp").asText("");
        return new String[] {e.path("lamport_clock").asText("?"), node.equals(self) ? "you" : node, r.state().label(),
                e.path("event_type").asText("?"), e.path("aggregate_id").asText("?"), e.path("event_id").asText("?"),
                ts.isEmpty() ? "?" : Durations.relative(ts, now)};
    }

    /** The envelope as stored (the JSON the Python tool and the server read). */
    private static String jsonRow(QueueFileEvents.Row r) {
        return r.data();
    }

    /** Prints events stored after the listing, polling the file the daemon writes; until interrupted. */
    private void follow(CliContext ctx, Optional<QueueFileEvents> opened, QueueFileEvents.Query query, String self) {
        ctx.out().flush();
        Optional<QueueFileEvents> file = opened;
        long[] seen = file.map(QueueFileEvents::lastRows).orElse(new long[] {0, 0});
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (file.isEmpty() && Files.exists(ctx.home().queueDb())) {
                    file = QueueFileEvents.open(ctx.home().queueDb());
                }
                if (file.isPresent()) {
                    List<QueueFileEvents.Row> fresh = file.get().after(seen[0], seen[1], query);
                    for (QueueFileEvents.Row r : fresh) {
                        if (r.state() == QueueFileEvents.State.QUEUED) {
                            seen[0] = Math.max(seen[0], r.rowId());
                        } else {
                            seen[1] = Math.max(seen[1], r.rowId());
                        }
                        ctx.out().println(json ? jsonRow(r) : String.join("  ", cells(r, self, ctx.clock().instant())));
                    }
                    ctx.out().flush();
                }
                Thread.sleep(FOLLOW_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (file != opened) {
                file.ifPresent(QueueFileEvents::close);
            }
        }
    }

    private static JsonNode tree(String data) {
        try {
            return LeanJson.tree(data);
        } catch (JsonException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** This machine's node id from clock.json (read, never written), to mark our own events; "" when unknown. */
    private static String ownNode(CliContext ctx) {
        try {
            if (!Files.exists(ctx.home().clock())) {
                return "";
            }
            JsonNode clock = LeanJson.tree(Files.readString(ctx.home().clock()));
            return clock.path("node_id").asText("");
        } catch (java.io.IOException | JsonException e) {
            return "";
        }
    }

    /** {@code --since}: {@code 15m} ago, or an ISO-8601 time; as ISO for SQLite. */
    static String sinceInstant(String text, Instant now) {
        String t = text.trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long seconds = switch (m.group(2)) {
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                default -> n * 86_400;
            };
            return Timestamps.format(now.minusSeconds(seconds));
        }
        try {
            return Timestamps.format(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Timestamps.format(Instant.parse(t));
            } catch (DateTimeParseException again) {
                throw CliException.usage("--since: '" + text + "' (expected: a duration such as 30s, 15m, 2h or 7d, or an ISO-8601 time such as 2026-11-25T10:00:00Z)");
            }
        }
    }
}
