package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.LocalEngine;
import dev.speckitty.e2e.fault.Fault;
import dev.speckitty.e2e.fault.FaultProxy;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when the answer to a token refresh is lost (the server rotated the pair, the client
 * never saw it): the used refresh token stays valid for a short reuse window, so the next sync
 * refreshes again and delivers the event instead of asking for a new login (finding 4, fixed).
 */
@Timeout(120)
class TokenRefreshFaultTest {
    @TempDir
    Path dir;

    @Test
    void aLostRefreshAnswerIsRetriedWithinTheReuseWindowAndTheEventArrives() throws Exception {
        try (TeamServer server = TeamServer.start(ServerOptions.loopback(dir.resolve("server")));
             FaultProxy proxy = FaultProxy.to(server.url())) {
            server.users().add("ada", "team-a", "pw");
            SpecKittyHome home = SpecKittyHome.at(Files.createDirectories(dir.resolve("home")));
            ConfigFile.set(home.config(), ConfigKey.SERVER_URL, proxy.url().toString());
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve(Api.TOKEN))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest("ada", "pw")))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            TokenResponse t = Json.read(r.body(), TokenResponse.class);
            // The access token is inside the 60 s refresh margin: the next sync refreshes first.
            CredentialsStore.of(home).write(new Credentials(t.access(), t.refresh(), Instant.now().plusSeconds(5),
                    Instant.now().plusSeconds(3600), "ada", t.teamSlug(), proxy.url().toString()));
            try (LocalEngine engine = LocalEngine.open(home)) {
                engine.enqueue(new EnqueueRequest(List.of(Json.tree(Rig.draft("r-0"))), null));
                proxy.set(Fault.RESET_AFTER_BODY);
                SyncSummary lost = engine.sync(new SyncRequest(false, false), u -> { });
                assertFalse(lost.ok(), "the refresh answer was lost");
                proxy.set(Fault.NONE);
                SyncSummary after = engine.sync(new SyncRequest(false, false), u -> { });
                Summary.print("refresh", "lost_refresh_answer then_sync_ok=" + after.ok() + " error_kind=" + after.errorKind()
                        + " error=" + Json.write(String.valueOf(after.error())));
                assertTrue(after.ok(), Json.write(after));
                assertEquals(1, after.pushed(), Json.write(after));
                assertEquals(0, engine.queueStats().depth(), "the event was delivered");
            }
        }
    }
}
