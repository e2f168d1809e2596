package dev.speckitty.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OAuth endpoints and sign-in pages as a client without a browser sees them, for tests: form
 * posts, and a page session that keeps the CSRF cookie and reads the hidden token from the HTML.
 */
public final class OAuthClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private String cookie;

    public OAuthClient(URI base) {
        this.base = base;
    }

    public static String form(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    public static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A form post to an OAuth endpoint. */
    public HttpResponse<String> post(String path, Map<String, String> params) {
        return postRaw(path, form(params), "application/x-www-form-urlencoded", Map.of());
    }

    public HttpResponse<String> postRaw(String path, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        HttpResponse<String> r = send(b.build());
        r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return r;
    }

    public JsonNode json(HttpResponse<String> r) {
        return Json.tree(r.body());
    }

    /** The hidden CSRF token of a page. */
    public static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in the page: " + html);
        }
        return m.group(1);
    }

    public JsonNode deviceCode() {
        HttpResponse<String> r = post(Api.OAUTH_DEVICE, params("client_id", Api.OAUTH_CLIENT_ID, "scope", Api.OAUTH_SCOPE));
        if (r.statusCode() != 200) {
            throw new AssertionError("device code: " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    public HttpResponse<String> pollDevice(String deviceCode) {
        return post(Api.OAUTH_TOKEN, params("grant_type", Api.DEVICE_GRANT, "device_code", deviceCode, "client_id", Api.OAUTH_CLIENT_ID));
    }

    /** Opens the device page and posts its form. */
    public HttpResponse<String> decideDevice(String userCode, String username, String password, String action) {
        HttpResponse<String> page = get(Api.DEVICE_PAGE);
        return post(Api.DEVICE_PAGE, params("csrf", csrf(page.body()), "user_code", userCode, "username", username, "password", password,
                "action", action));
    }

    public HttpClient http() {
        return http;
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
