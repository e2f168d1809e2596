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

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written (Ctrl-C to stop).")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "50", description = "Lines to print from the end (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() throws IOException {
        CliContext ctx = ctx();
        Path log = ctx.home().logs().resolve("daemon.log");
        if (!Files.exists(log) && !follow) {
            throw CliException.failure("no daemon log at " + log + " yet; start the daemon with `spec-kitty daemon start`");
        }
        long position = 0;
        if (Files.exists(log)) {
            List<String> all = Files.readAllLines(log);
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(ctx.out()::println);
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
