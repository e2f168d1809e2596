package dev.speckitty.cli.server;

import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ErrorText;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.Printable;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.ErrorResponse;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLException;

/**
 * The two requests the CLI itself makes to the team server, with the JDK {@link HttpClient} (loaded
 * only by {@code auth login} and {@code sync status --check}): log in, and probe connectivity.
 * Tokens and passwords never reach a message. Thread-safe.
 */
public final class TeamServerClient {
    private final HttpClient http;
    private final Duration timeout;

    public TeamServerClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code POST /api/v1/token/}; a refusal is an auth-required {@link CliException}, a network failure an unreachable one. */
    public TokenResponse login(URI server, String username, char[] password) {
        byte[] body = Json.writeBytes(new TokenRequest(username, new String(password)));
        HttpRequest request = HttpRequest.newBuilder(server.resolve(Api.TOKEN))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLException e) {
            throw CliException.failure("the TLS handshake with " + server + " failed (" + ErrorText.of(e) + "); if the server uses"
                    + " a private CA, add it to the Java truststore (JAVA_HOME/lib/security/cacerts), then run `spec-kitty auth login` again");
        } catch (java.net.ProtocolException e) {
            throw CliException.failure("login to " + server + " failed: " + notHttp(e) + "; is sync.server_url a spec-kitty server?");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach " + server + " (" + describe(e)
                    + "); check the URL with `spec-kitty config get sync.server_url`, then run `spec-kitty sync status --check`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted while logging in to " + server);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String ours = "wrong username or password";
            String theirs = serverReason(response.body());
            throw new CliException(ExitCodes.AUTH_REQUIRED, "login refused by " + server + ": " + ours
                    + (theirs.toLowerCase(java.util.Locale.ROOT).contains(ours) ? "" : theirs) + "; check them and run `spec-kitty auth login` again");
        }
        if (status != 200) {
            throw CliException.failure("login to " + server + " failed: HTTP " + status + serverReason(response.body())
                    + "; check the server URL with `spec-kitty sync status --check`");
        }
        try {
            TokenResponse tokens = Json.read(response.body(), TokenResponse.class);
            if (tokens.access() == null || tokens.refresh() == null || tokens.teamSlug() == null) {
                throw CliException.failure("login to " + server + " answered without tokens or team; is this a spec-kitty server?");
            }
            return tokens;
        } catch (JsonException e) {
            throw CliException.failure("login to " + server + " answered something that is not a token response;"
                    + " is sync.server_url a spec-kitty server?");
        }
    }

    /** The documented connectivity probe: an empty gzip batch with the access token, if any. */
    public ProbeResult probe(URI server, Optional<String> accessToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(Api.EVENTS_BATCH))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip("{\"events\":[]}")));
        accessToken.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        int status;
        try {
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpConnectTimeoutException e) {
            return new ProbeResult(ProbeResult.State.UNREACHABLE, "connection to " + server + " timed out after " + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return new ProbeResult(ProbeResult.State.UNREACHABLE, "no answer from " + server + " within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            return new ProbeResult(ProbeResult.State.UNREACHABLE, describe(e));
        } catch (SSLException e) {
            return new ProbeResult(ProbeResult.State.ERROR, "TLS handshake with " + server + " failed: " + ErrorText.of(e));
        } catch (java.net.ProtocolException e) {
            return new ProbeResult(ProbeResult.State.ERROR, notHttp(e) + "; is " + server + " a spec-kitty server?");
        } catch (IOException e) {
            boolean network = e.getCause() instanceof UnresolvedAddressException || e.getCause() instanceof UnknownHostException;
            return new ProbeResult(network ? ProbeResult.State.UNREACHABLE : ProbeResult.State.ERROR, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult(ProbeResult.State.ERROR, "interrupted");
        }
        return switch (status) {
            case 200 -> new ProbeResult(ProbeResult.State.CONNECTED, "Server online (authenticated)");
            case 401 -> new ProbeResult(ProbeResult.State.REACHABLE, accessToken.isPresent()
                    ? "Server online (token expired or invalid)" : "Server online (not logged in)");
            case 403 -> new ProbeResult(ProbeResult.State.REACHABLE, "Server online (access forbidden)");
            default -> new ProbeResult(ProbeResult.State.ERROR, "Server answered HTTP " + status + " to the connectivity probe");
        };
    }

    /** What answered is not HTTP: its first bytes, escaped and clipped, so they cannot drive the terminal. */
    static String notHttp(java.net.ProtocolException e) {
        return "the server's answer is not HTTP (" + Printable.clip(String.valueOf(e.getMessage()), 120) + ")";
    }

    /** A short reason for a failed request: refused, unknown host, timed out… */
    static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return "unknown host" + (root.getMessage() == null ? "" : " " + root.getMessage());
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? "no details" : Printable.clip(ErrorText.clean(m), 200);
    }

    private static String serverReason(byte[] body) {
        try {
            ErrorResponse e = Json.read(body, ErrorResponse.class);
            return e.error() == null ? "" : " (" + Printable.clip(e.error(), 300) + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
