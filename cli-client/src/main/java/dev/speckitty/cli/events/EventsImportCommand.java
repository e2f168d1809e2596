package dev.speckitty.cli.events;

import dev.speckitty.cli.backend.InProcessBackend;
import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.protocol.event.EventDrafts;
import dev.speckitty.protocol.control.EnqueueRequest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.LeanJson;
import dev.speckitty.protocol.event.Violation;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spec-kitty events import FILE|-}: queues the events of an NDJSON file, all of them or, when a
 * line is bad, none, in parts ({@link SyncBackend#enqueueAll}). Without a daemon it reads the file once:
 * the parts go into one transaction as they are read and checked, and a bad line rolls it back (the
 * rest of the file is still read, to list every problem). With a daemon, whose parts are queued one by
 * one, every line is checked in a first pass and the file read again to send them. Memory is bounded
 * by one part, whatever the file's size.
 */
@Command(name = "import", description = {
        "Queue many events from an NDJSON file (or - for stdin).",
        "Each line is a draft {event_type, aggregate_id, aggregate_type?, payload} or a complete envelope (with event_id).",
        "Every line is checked; if any is invalid, nothing is queued and each problem is listed with its line number.",
        "They are queued in one transaction, or, when the daemon runs, sent to it in parts of 5,000, each queued whole.",
        "The file is never held in memory (stdin is copied to a private temporary file first)."})
public final class EventsImportCommand extends CliCommand {
    /** Problems listed before "…and N more": enough to see the pattern, not a wall of text. */
    private static final int MAX_LISTED = 20;
    /** One line is one event: no longer than an event may be. */
    private static final int MAX_LINE_BYTES = dev.speckitty.protocol.event.EventLimits.MAX_EVENT_BYTES;
    /** The most events, and bytes of their JSON, of one part sent to the daemon (well under its 32 MiB). */
    private static final int PART_EVENTS = 5_000;
    private static final long PART_BYTES = 8L << 20;

    @Parameters(index = "0", paramLabel = "FILE", description = "NDJSON file, or - for standard input.")
    String file;

    @Option(names = "--json", description = "Print the queued ids and queue depth as JSON.")
    boolean json;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        String source = file.equals("-") ? "stdin" : file;
        try (NdjsonFile ndjson = open(ctx)) {
            // One pass when no daemon listens: one transaction, so checking as the parts are read is
            // as good as checking first. A daemon that starts meanwhile finds the rows when they commit.
            boolean checkFirst = control().listening();
            if (checkFirst) {
                check(ndjson, source);
            }
            SyncBackend.Enqueued result;
            try (Parts parts = new Parts(ndjson, ctx.cwd().toString(), source, !checkFirst)) {
                if (!parts.hasNext()) {
                    ctx.out().println("No events in " + source + "; nothing to queue");
                    return ExitCodes.OK;
                }
                try (SyncBackend backend = checkFirst ? backend(null) : new InProcessBackend(ctx)) {
                    result = backend.enqueueAll(parts, json, ExitCodes.FAILURE);
                }
            }
            if (json) {
                ctx.out().println(Json.write(result.response()));
            } else {
                ctx.out().println("Imported " + result.response().accepted() + " event" + (result.response().accepted() == 1 ? "" : "s")
                        + " from " + source + " (" + result.response().queueDepth() + " in the queue"
                        + (result.throughDaemon() ? "" : "; daemon not running") + ")");
            }
            return ExitCodes.OK;
        } catch (NoSuchFileException e) {
            throw CliException.failure("no such file: " + file);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw CliException.failure("cannot read " + source + " (" + dev.speckitty.cli.ErrorText.of(e instanceof java.io.UncheckedIOException u ? u.getCause() : e) + ")");
        }
    }

    /** The first pass: every line checked, none kept; fails listing the problems, if there are any. */
    private static void check(NdjsonFile ndjson, String source) throws IOException {
        Problems problems = new Problems();
        try (NdjsonFile.Lines lines = ndjson.lines(MAX_LINE_BYTES)) {
            problems.addAll(lines);
        }
        problems.failIfAny(source);
    }

    /** The problems of the lines read so far: how many, and the first {@link #MAX_LISTED} of them. */
    private static final class Problems {
        private final List<String> listed = new ArrayList<>();
        private long count;

        /** Adds the problems of {@code read}, line {@code number} (none when it is a good event); answers whether it had any. */
        boolean add(Line read, int number) {
            List<String> found = read.problem() != null ? List.of(read.problem()) : violations(read.event(), number);
            for (String p : found) {
                if (listed.size() < MAX_LISTED) {
                    listed.add(p);
                }
                count++;
            }
            return !found.isEmpty();
        }

        /** Adds the problems of every line left in {@code lines}. */
        void addAll(NdjsonFile.Lines lines) throws IOException {
            byte[] line;
            while ((line = lines.next()) != null) {
                Line read = Line.of(line, lines);
                if (read != null) {
                    add(read, lines.number());
                }
            }
        }

        void failIfAny(String source) {
            if (count == 0) {
                return;
            }
            StringBuilder message = new StringBuilder("nothing was queued; " + count + " problem"
                    + (count == 1 ? "" : "s") + " in " + source + ":");
            listed.forEach(p -> message.append("\n  ").append(p));
            if (count > MAX_LISTED) {
                message.append("\n  …and ").append(count - MAX_LISTED).append(" more");
            }
            throw CliException.failure(message.toString());
        }
    }

    /** A line read as one event: its tree, or why it is none (too long, not UTF-8, not JSON). */
    private record Line(JsonNode event, String problem) {
        /** The line {@code lines} gave last, or null when it is blank. */
        static Line of(byte[] line, NdjsonFile.Lines lines) {
            int number = lines.number();
            if (lines.tooLong()) {
                return new Line(null, "line " + number + ": longer than an event may be (" + MAX_LINE_BYTES / 1024 + " KiB)");
            }
            int[] bad = new int[1];
            java.util.Optional<String> text = TextInput.decode(line, 0, line.length, bad);
            if (text.isEmpty()) {
                return new Line(null, "line " + number + ": byte " + (bad[0] + 1) + " is not valid UTF-8");
            }
            if (text.get().isBlank()) {
                return null;
            }
            try {
                return new Line(LeanJson.tree(text.get()), null);
            } catch (JsonException e) {
                return new Line(null, "line " + number + ": not valid JSON (" + dev.speckitty.protocol.Printable.clip(e.getMessage(), 200) + ")");
            }
        }
    }

    /** What the draft rules find wrong with the event of line {@code number} (empty: nothing). */
    private static List<String> violations(JsonNode event, int number) {
        List<String> found = new ArrayList<>();
        for (Violation v : EventDrafts.check(event)) {
            found.add("line " + number + ": " + v);
        }
        return found;
    }

    private NdjsonFile open(CliContext ctx) throws IOException {
        if (file.equals("-")) {
            return NdjsonFile.spool(ctx.in());
        }
        Path path = ctx.cwd().resolve(file);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        return NdjsonFile.of(path);
    }

    /**
     * The events read in parts of at most {@link #PART_EVENTS} events and {@link #PART_BYTES} bytes of
     * JSON, so that one part is held at a time and each fits one request to the daemon (whose bound is
     * 32 MiB). {@code checking}: each line is checked here, and the first bad one ends the parts with
     * the list of every problem in the file (the import's only pass). Else the lines were checked by
     * a first pass, and one that no longer reads as it did then (the file changed meanwhile) stops the
     * import.
     */
    private static final class Parts implements java.util.Iterator<EnqueueRequest>, AutoCloseable {
        private final NdjsonFile.Lines lines;
        private final String cwd;
        private final String file;
        private final boolean checking;
        private List<JsonNode> next;

        Parts(NdjsonFile ndjson, String cwd, String file, boolean checking) throws IOException {
            this.lines = ndjson.lines(MAX_LINE_BYTES);
            this.cwd = cwd;
            this.file = file;
            this.checking = checking;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = read();
            }
            return !next.isEmpty();
        }

        @Override
        public EnqueueRequest next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            EnqueueRequest part = new EnqueueRequest(next, cwd);
            next = null;
            return part;
        }

        private List<JsonNode> read() {
            List<JsonNode> part = new ArrayList<>();
            long bytes = 0;
            try {
                byte[] line;
                while (part.size() < PART_EVENTS && bytes < PART_BYTES && (line = lines.next()) != null) {
                    // The engine validates each event again as it queues it.
                    Line read = Line.of(line, lines);
                    if (read == null) {
                        continue;
                    }
                    if (checking) {
                        Problems problems = new Problems();
                        if (problems.add(read, lines.number())) {
                            problems.addAll(lines);
                            problems.failIfAny(file); // the transaction holding the parts before is rolled back
                        }
                    } else if (read.problem() != null) {
                        throw CliException.failure("nothing more was queued: " + file + " changed while it was imported (line "
                                + lines.number() + " no longer reads as it did)");
                    }
                    part.add(read.event());
                    bytes += line.length;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return part;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
