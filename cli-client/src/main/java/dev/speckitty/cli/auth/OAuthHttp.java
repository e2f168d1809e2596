package dev.speckitty.cli.auth;

import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ErrorText;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.Printable;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.DeviceAuthorization;
import dev.speckitty.protocol.wire.MeResponse;
import dev.speckitty.protocol.wire.OAuthError;
import dev.speckitty.protocol.wire.OAuthTokens;
import dev.speckitty.protocol.wire.SyncHealth;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth requests of {@code auth login} against one team server: what it offers
 * ({@code sync/health}), a device code, token exchanges, and who the tokens belong to
 * ({@code /api/v1/me}). Answers are read up to {@link #MAX_ANSWER} bytes; tokens never reach a
 * message. Thread-safe.
 */
final class OAuthHttp {
    static final int MAX_ANSWER = 64 * 1024;

    private final URI server;
    private final HttpClient http;
    private final Duration timeout;

    OAuthHttp(URI server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    URI server() {
        return server;
    }

    /** A status and a body read within its cap. */
    record Answer(int status, byte[] body) {
    }

    /** What the server offers; empty when it has no {@code sync/health} (a server of the 2.x API, password login only). */
    Optional<SyncHealth> health() {
        Answer a = send(HttpRequest.newBuilder(server.resolve(Api.SYNC_HEALTH)).timeout(timeout).GET().build(), "ask which logins it offers");
        if (a.status() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(a.body(), SyncHealth.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code POST /oauth/device}; empty on a 404 (no OAuth on this server). */
    Optional<DeviceAuthorization> deviceCode() {
        Answer a = form(Api.OAUTH_DEVICE, Map.of("client_id", Api.OAUTH_CLIENT_ID, "scope", Api.OAUTH_SCOPE), "ask for a device code");
        if (a.status() == 404) {
            return Optional.empty();
        }
        if (a.status() != 200) {
            throw CliException.failure("the server refused a device code: " + reason(a) + "; retry later or use --password");
        }
        DeviceAuthorization d = read(a, DeviceAuthorization.class, "device code");
        if (d.deviceCode() == null || d.userCode() == null || d.verificationUri() == null) {
            throw CliException.failure("the device code answer from " + server + " lacks device_code, user_code or verification_uri");
        }
        return Optional.of(d);
    }

    /** {@code POST /oauth/token}: the raw answer (200 with tokens, 400 with an OAuth error). */
    Answer token(Map<String, String> params) {
        return form(Api.OAUTH_TOKEN, params, "get tokens");
    }

    OAuthTokens tokens(Answer a) {
        OAuthTokens t = read(a, OAuthTokens.class, "token");
        if (t.accessToken() == null || t.refreshToken() == null || t.expiresIn() <= 0) {
            throw CliException.failure("the token answer from " + server + " lacks access_token, refresh_token or expires_in");
        }
        return t;
    }

    /** The OAuth error of a refused request (code and description; the description escaped and clipped). */
    OAuthError error(Answer a) {
        try {
            OAuthError e = Json.read(a.body(), OAuthError.class);
            return new OAuthError(e.error() == null ? "http_" + a.status() : e.error(), e.errorDescription() == null ? ""
                    : Printable.clip(ErrorText.clean(e.errorDescription()), 300));
        } catch (RuntimeException e) {
            return new OAuthError("http_" + a.status(), "");
        }
    }

    /** {@code GET /api/v1/me} with a fresh access token: the username and team the credentials file records. */
    MeResponse me(String access) {
        Answer a = send(HttpRequest.newBuilder(server.resolve(Api.ME)).timeout(timeout).header("Authorization", "Bearer " + access)
                .GET().build(), "read who you are");
        if (a.status() != 200) {
            throw CliException.failure("the server gave tokens but refused " + Api.ME + ": " + reason(a) + "; run `spec-kitty auth login` again");
        }
        MeResponse me = read(a, MeResponse.class, "account");
        if (me.userId() == null || me.teams().isEmpty() || me.teams().get(0).id() == null) {
            throw CliException.failure("the account answer from " + server + " lacks user_id or a team");
        }
        return me;
    }

    private Answer form(String path, Map<String, String> params, String what) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), what);
    }

    private Answer send(HttpRequest request, String what) {
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_ANSWER + 1);
                if (body.length > MAX_ANSWER) {
                    throw CliException.failure("the answer of " + server + " to " + what + " is larger than " + MAX_ANSWER + " bytes; "
                            + "is sync.server_url a spec-kitty server?");
                }
                return new Answer(r.statusCode(), body);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach " + server + " to " + what + " (" + ErrorText.of(e)
                    + "); check the URL with `spec-kitty config get sync.server_url`, then run `spec-kitty sync status --check`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted while trying to " + what);
        }
    }

    private <T> T read(Answer a, Class<T> type, String what) {
        try {
            return Json.read(a.body(), type);
        } catch (RuntimeException e) {
            throw CliException.failure("the " + what + " answer from " + server + " is not the JSON expected; is sync.server_url a "
                    + "spec-kitty server?");
        }
    }

    private String reason(Answer a) {
        OAuthError e = error(a);
        return "HTTP " + a.status() + (e.errorDescription().isEmpty() ? " (" + e.error() + ")" : " (" + e.errorDescription() + ")");
    }
}
