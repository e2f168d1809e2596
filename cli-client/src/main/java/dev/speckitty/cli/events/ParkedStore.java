package dev.speckitty.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.ControlResponse;
import dev.speckitty.cli.control.DaemonNotRunningException;
import dev.speckitty.cli.local.SqliteNativeCache;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.util.ArrayList;
import java.util.List;

/**
 * Parked events through the daemon's control API ({@code /v1/parked}, {@code /retry}, {@code /discard})
 * when it runs, and in this process on {@code queue.db} when it does not. Owned by one command.
 */
public final class ParkedStore {
    private final ControlClient control;
    private final SpecKittyHome home;

    public ParkedStore(ControlClient control, SpecKittyHome home) {
        this.control = control;
        this.home = home;
    }

    public List<ParkedEvent> list() {
        try (ControlResponse r = control.get(ControlApi.PARKED)) {
            checked(r, ControlApi.PARKED);
            List<ParkedEvent> parked = new ArrayList<>();
            for (JsonNode n : r.tree()) {
                parked.add(Json.read(Json.write(n), ParkedEvent.class));
            }
            return parked;
        } catch (DaemonNotRunningException e) {
            try (QueueStore store = open()) {
                return store.parked();
            }
        }
    }

    int retry(ParkedAction action) {
        return act(ControlApi.PARKED_RETRY, action, true);
    }

    int discard(ParkedAction action) {
        return act(ControlApi.PARKED_DISCARD, action, false);
    }

    private int act(String path, ParkedAction action, boolean retry) {
        try (ControlResponse r = control.post(path, action)) {
            checked(r, path);
            return r.tree().path("count").asInt();
        } catch (DaemonNotRunningException e) {
            try (QueueStore store = open()) {
                return retry ? store.retryParked(action) : store.discardParked(action);
            }
        }
    }

    private QueueStore open() {
        SqliteNativeCache.prepare();
        return QueueStore.open(home.queueDb(), QueueStore.StoreOptions.defaults());
    }

    private static void checked(ControlResponse r, String path) {
        if (!r.ok()) {
            throw CliException.failure("the daemon answered HTTP " + r.status() + " to " + path + " (" + r.error().error()
                    + "); see `spec-kitty daemon logs`");
        }
    }
}
