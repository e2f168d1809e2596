package dev.speckitty.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.protocol.wire.WsTokenResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** A small JDK HttpClient wrapper speaking the server's API, for tests. */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public ApiClient(URI base) {
        this.base = base;
    }

    public HttpClient http() {
        return http;
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public HttpResponse<String> post(String path, String bearer, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::header);
        return send(b.build());
    }

    public HttpResponse<String> get(String pathAndQuery, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> loginRaw(String user, String password) {
        return post(Api.TOKEN, null, Json.writeBytes(new TokenRequest(user, password)), Map.of());
    }

    public TokenResponse login(String user, String password) {
        HttpResponse<String> r = loginRaw(user, password);
        if (r.statusCode() != 200) {
            throw new AssertionError("login failed: " + r.statusCode() + " " + r.body());
        }
        return Json.read(r.body(), TokenResponse.class);
    }

    public String wsToken(String access) {
        HttpResponse<String> r = post(Api.WS_TOKEN, access, new byte[0], Map.of());
        if (r.statusCode() != 200) {
            throw new AssertionError("ws-token failed: " + r.statusCode() + " " + r.body());
        }
        return Json.read(r.body(), WsTokenResponse.class).wsToken();
    }

    public HttpResponse<String> batchRaw(String access, byte[] gzBody) {
        return post(Api.EVENTS_BATCH, access, gzBody, Map.of("Content-Encoding", "gzip"));
    }

    public HttpResponse<String> batchRaw(String access, List<JsonNode> events) {
        return batchRaw(access, gzip(Json.writeBytes(Map.of("events", events))));
    }

    public BatchResponse batch(String access, List<JsonNode> events) {
        HttpResponse<String> r = batchRaw(access, events);
        if (r.statusCode() != 200) {
            throw new AssertionError("batch failed: " + r.statusCode() + " " + r.body());
        }
        return Json.read(r.body(), BatchResponse.class);
    }

    public PullPage pull(String access, String after, int limit) {
        HttpResponse<String> r = get(Api.EVENTS + "?after=" + after + "&limit=" + limit, access);
        if (r.statusCode() != 200) {
            throw new AssertionError("pull failed: " + r.statusCode() + " " + r.body());
        }
        return Json.read(r.body(), PullPage.class);
    }

    public static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
