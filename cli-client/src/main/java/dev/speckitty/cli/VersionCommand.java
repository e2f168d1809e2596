package dev.speckitty.cli;

import dev.speckitty.cli.output.KeyValues;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.json.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty version}: this CLI's, the running daemon's and the team server's versions, as {@code kubectl version} shows them. */
@Command(name = "version", description = {
        "Show the versions of this CLI, of the running daemon and of the team server.",
        "The server's version is the one it gave the daemon on its live link; unknown while the daemon is not connected."})
public final class VersionCommand extends CliCommand {
    @Option(names = "--json", description = "Print {client, daemon, server} as JSON (null for what is not known).")
    boolean json;

    /** {@code version --json}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record View(String client, String daemon, String server, String serverUrl) {
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Optional<DaemonInfo> daemon = daemon().infoIfAnswering();
        View v = new View(Version.current(), daemon.map(DaemonInfo::version).orElse(null),
                daemon.map(DaemonInfo::serverVersion).orElse(null), daemon.map(DaemonInfo::serverUrl).orElse(null));
        if (json) {
            ctx.out().println(Json.write(v));
            return ExitCodes.OK;
        }
        KeyValues.line(ctx.out(), "Client", v.client());
        KeyValues.line(ctx.out(), "Daemon", v.daemon() != null ? v.daemon()
                + (v.daemon().equals(v.client()) ? "" : " (differs; run `spec-kitty daemon restart`)")
                : "not running (start it with `spec-kitty daemon start`)");
        String server;
        if (v.server() != null) {
            server = v.server() + (v.serverUrl() == null ? "" : " at " + v.serverUrl());
        } else if (daemon.isPresent() && v.serverUrl() != null) {
            server = "unknown (the daemon has no live link to " + v.serverUrl() + " yet; see `spec-kitty sync status`)";
        } else {
            server = "unknown (known once the daemon is connected to a server)";
        }
        KeyValues.line(ctx.out(), "Server", server);
        return ExitCodes.OK;
    }
}
