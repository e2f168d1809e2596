package dev.speckitty.server.http;

import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.ws.TeamHub;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.Executor;

/**
 * What every connection's handlers share: stores, endpoints and logins, options, the blocking executor,
 * the fan-out hub, open channels.
 */
public record ServerContext(Storage storage, Endpoints endpoints, Logins logins, ServerOptions options, Executor blocking, TeamHub hub,
        ChannelGroup channels) {
}
