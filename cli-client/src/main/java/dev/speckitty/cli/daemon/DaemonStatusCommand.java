package dev.speckitty.cli.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.output.Durations;
import dev.speckitty.cli.output.KeyValues;
import dev.speckitty.cli.output.LinkText;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.json.Json;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty daemon status}: whether the daemon runs, its pid, version and link state. */
@Command(name = "status", description = {
        "Show whether the daemon is running, with its pid, version, uptime, link state and socket.",
        "Exits 0 either way; `--json` has `running`."})
public final class DaemonStatusCommand extends CliCommand {
    @Option(names = "--json", description = "Print as JSON: {running, pid, version, uptime_s, connection, socket}; connection is connected, connecting, offline, auth_required or not_configured.")
    boolean json;

    /** {@code daemon status --json}; fields other than running and socket are null when not running. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record View(boolean running, Long pid, String version, Long uptimeS, String connection, String socket) {
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Optional<DaemonInfo> s = new DaemonControl(ctx, daemon()).running();
        String socket = ctx.home().socket().toString();
        if (json) {
            ctx.out().println(Json.write(s.map(r -> new View(true, r.pid(), r.version(), r.uptimeS(),
                            r.connection() == null ? null : r.connection().wire(), socket))
                    .orElseGet(() -> new View(false, null, null, null, null, socket))));
            return ExitCodes.OK;
        }
        if (s.isEmpty()) {
            ctx.out().println("Daemon not running (start it with `spec-kitty daemon start`)");
            KeyValues.line(ctx.out(), "Socket", socket);
            return ExitCodes.OK;
        }
        DaemonInfo r = s.get();
        ctx.out().println("Daemon running");
        KeyValues.line(ctx.out(), "PID", Long.toString(r.pid()));
        KeyValues.line(ctx.out(), "Version", r.version());
        KeyValues.line(ctx.out(), "Uptime", Durations.humanSeconds(r.uptimeS()));
        KeyValues.line(ctx.out(), "Link", LinkText.of(r, ctx.clock().instant()));
        KeyValues.line(ctx.out(), "Socket", socket);
        KeyValues.line(ctx.out(), "Log", ctx.home().logs().resolve("daemon.log").toString());
        return ExitCodes.OK;
    }
}
