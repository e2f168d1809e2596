package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;

/** The JSON text frames of {@code /ws/v1/events/}; encode and decode them with {@link WsCodec}. */
public sealed interface WsMessage {
    /** Server → client, first frame: the server's version and the team's latest cursor. */
    record Hello(String serverVersion, String cursor) implements WsMessage {
    }

    /** Server → client: a new team event at {@code cursor}. */
    record EventFrame(String cursor, Event event) implements WsMessage {
    }

    /** Either way: liveness probe; the other side answers with a {@link Pong} carrying the same timestamp. */
    record Ping(long timestamp) implements WsMessage {
    }

    /**
     * Either way: answer to a {@link Ping}. spec-kitty 3.x adds the {@code build_id} of its checkout
     * (absent from 2.x clients and from ours).
     */
    record Pong(long timestamp, java.util.Optional<String> buildId) implements WsMessage {
        public Pong {
            buildId = buildId == null ? java.util.Optional.empty() : buildId;
        }

        public Pong(long timestamp) {
            this(timestamp, java.util.Optional.empty());
        }
    }

    /**
     * Server → client, first frame of a spec-kitty 3.x session (before {@link Hello}): the work
     * packages the server knows the state of. The reference server keeps no work-package state, so
     * its list is empty; a 3.x client then keeps its local view.
     */
    record Snapshot(java.util.List<JsonNode> workPackages) implements WsMessage {
        public Snapshot {
            workPackages = workPackages == null ? java.util.List.of() : java.util.List.copyOf(workPackages);
        }
    }

    /** Client → server (compatibility): one event sent over the socket, envelope fields inline, kept raw for validation. */
    record ClientEvent(ObjectNode envelope) implements WsMessage {
    }

    /** Server → client: the verdict on a {@link ClientEvent}. */
    record Ack(String eventId, ResultStatus status, String errorMessage) implements WsMessage {
    }

    /** Server → client: a frame that could not be understood; the connection stays open. */
    record Error(String message) implements WsMessage {
    }

    /** A frame of an unknown type, kept for logging; receivers ignore it. */
    record Unknown(String type, JsonNode raw) implements WsMessage {
    }
}
