package dev.speckitty.e2e.engine;

import static dev.speckitty.e2e.support.InJvmDaemons.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.LocalEngine;
import dev.speckitty.e2e.support.InJvmDaemons;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.server.ServerLimits;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import dev.speckitty.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine batches by the limits a real server advertises on sync/health, not only by its own defaults. */
@Timeout(120)
class AdvertisedLimitsTest {
    @TempDir
    Path dir;

    private SyncSummary drain(ServerLimits limits, String name) throws Exception {
        try (TeamServer server = TeamServer.start(ServerOptions.loopback(dir.resolve(name + "-server")).withLimits(limits))) {
            server.users().add("ada", "team-a", PASSWORD);
            try (LocalEngine engine = LocalEngine.open(InJvmDaemons.home(dir, name, server.url(), "ada", Duration.ofMinutes(15)))) {
                engine.enqueue(new EnqueueRequest(TestEvents.noteDrafts("n".repeat(2000), 0, 150), null));
                return engine.sync(new SyncRequest(false, false), u -> { });
            }
        }
    }

    @Test
    void aServerAdvertisingSmallBatchesGetsSmallBatches() throws Exception {
        // 150 events of about 2.3 KB: some 340 KB of JSON, which gzip shrinks to a few KB.
        SyncSummary roomy = drain(ServerLimits.defaults(), "roomy");
        assertTrue(roomy.ok(), roomy.toString());
        assertEquals(150, roomy.pushed());
        assertEquals(1, roomy.batches(), "the defaults take all of it in one batch: " + roomy);

        // 64 KiB compressed advertises 63 KiB a batch; the engine keeps 0.9 of that, about 57 KiB: at least 6 batches.
        SyncSummary small = drain(ServerLimits.defaults().withMaxCompressedBody(64 * 1024), "small");
        assertTrue(small.ok(), small.toString());
        assertEquals(150, small.pushed());
        assertTrue(small.batches() >= 6, "batched by the advertised limit: " + small);
    }
}
