package dev.speckitty.cli.daemon;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty daemon logs [-f]}: prints the end of {@code logs/daemon.log}, and follows it with {@code -f}. */
@Command(name = "logs", description = "Print the end of the daemon log (SPEC_KITTY_HOME/logs/daemon.log); -f keeps following it.")
public final class DaemonLogsCommand extends CliCommand {
    /** How often {@code -f} looks for new lines: a person reading a log does not notice 200 ms. */
    private static final long FOLLOW_POLL_MILLIS = 200;
    /** Lines {@code -n} may ask for; the log rolls at 10 MB, so this is more than a whole file holds. */
    static final int MAX_LINES = 1_000_000;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written (Ctrl-C to stop).")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "50", description = "Lines to print from the end (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() throws IOException {
        CliContext ctx = ctx();
        if (lines < 0 || lines > MAX_LINES) {
            throw CliException.usage("--lines: " + lines + " (expected: 0.." + MAX_LINES + ")");
        }
        Path log = ctx.home().logs().resolve("daemon.log");
        if (!Files.exists(log) && !follow) {
            throw CliException.failure("no daemon log at " + log + " yet; start the daemon with `spec-kitty daemon start`");
        }
        long position = 0;
        if (Files.exists(log)) {
            for (String line : lastLines(log, lines)) {
                ctx.out().println(line);
            }
            position = Files.size(log);
        }
        if (!follow) {
            return ExitCodes.OK;
        }
        ctx.out().flush();
        while (!Thread.currentThread().isInterrupted()) {
            position = copyNew(log, position, ctx);
            try {
                Thread.sleep(FOLLOW_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ExitCodes.OK;
    }

    /** The last {@code n} lines of {@code log}, read as UTF-8 with bad bytes replaced (a log is for reading, not for failing). */
    static List<String> lastLines(Path log, int n) throws IOException {
        java.util.ArrayDeque<String> last = new java.util.ArrayDeque<>();
        if (n == 0) {
            return List.of();
        }
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(log),
                java.nio.charset.StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (last.size() == n) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
        }
        return List.copyOf(last);
    }

    /** Prints bytes written since {@code position}; starts over when the file was rolled (shrank). */
    private static long copyNew(Path log, long position, CliContext ctx) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        long size = Files.size(log);
        if (size < position) {
            position = 0;
        }
        if (size == position) {
            return position;
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(position);
            byte[] buf = new byte[(int) Math.min(size - position, 1 << 20)];
            f.readFully(buf);
            ctx.out().write(buf);
            ctx.out().flush();
            return position + buf.length;
        }
    }
}
