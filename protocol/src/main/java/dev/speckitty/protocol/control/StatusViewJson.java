package dev.speckitty.protocol.control;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * {@code sync status --json} written with jackson-core's generator instead of databind's mapper
 * (whose set-up costs more than the rest of the command, docs/benchmarks/cli.md). Same bytes as
 * {@code Json.write(view)}, held to it by {@code StatusViewJsonTest}. Stateless.
 */
public final class StatusViewJson {
    private StatusViewJson() {
    }

    public static String write(StatusView v) {
        return LeanJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("server_url", v.serverUrl());
            g.writeStringField("config_file", v.configFile());
            g.writeStringField("connection", v.connection());
            g.writeStringField("connection_detail", v.connectionDetail());
            g.writeFieldName("daemon");
            daemon(g, v.daemon());
            g.writeFieldName("queue");
            LeanJson.write(g, v.queue());
            g.writeFieldName("inbox_issues");
            LeanJson.write(g, v.inboxIssues());
            g.writeFieldName("last_sync");
            if (v.lastSync() == null) {
                g.writeNull();
            } else {
                LeanJson.write(g, v.lastSync());
            }
            g.writeFieldName("waiting");
            g.writeStartArray();
            for (WaitingEvents w : v.waiting()) {
                g.writeStartObject();
                g.writeStringField("team", w.team());
                g.writeStringField("server", w.server());
                g.writeNumberField("count", w.count());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("scoped_queues");
            g.writeStartObject();
            g.writeFieldName("waiting");
            g.writeStartArray();
            for (StatusView.ScopedQueuesView.Waiting w : v.scopedQueues().waiting()) {
                g.writeStartObject();
                g.writeStringField("file", w.file());
                g.writeNumberField("events", w.events());
                g.writeStringField("error", w.error());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("not_read", v.scopedQueues().notRead());
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void daemon(JsonGenerator g, StatusView.Daemon d) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("running", d.running());
        LeanJson.writeNumberField(g, "pid", d.pid());
        g.writeStringField("version", d.version());
        LeanJson.writeNumberField(g, "uptime_s", d.uptimeS());
        g.writeStringField("link", d.link());
        g.writeStringField("last_error", d.lastError());
        g.writeStringField("next_retry_at", d.nextRetryAt());
        g.writeStringField("user", d.user());
        g.writeStringField("team", d.team());
        g.writeStringField("cursor", d.cursor());
        g.writeEndObject();
    }
}
