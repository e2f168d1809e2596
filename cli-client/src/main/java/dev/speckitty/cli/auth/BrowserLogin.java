package dev.speckitty.cli.auth;

import com.sun.net.httpserver.HttpServer;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ErrorText;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.Printable;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.OAuthError;
import dev.speckitty.protocol.wire.OAuthTokens;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The browser login: the authorization code grant with PKCE S256 (RFC 7636) and a loopback redirect
 * (RFC 8252). A one-shot listener on 127.0.0.1 (port 28888–28898 as spec-kitty 3.x uses, else any
 * free one) waits for the browser's redirect, at most {@link #WAIT}; the state must match. The
 * browser is opened with {@code $BROWSER}, else xdg-open or open; the URL is printed too, for a
 * browser on another screen. Owned by the command's thread; the listener's one request is handled on
 * its own thread.
 */
final class BrowserLogin {
    static final Duration WAIT = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OAuthHttp http;
    private final CliContext ctx;
    private final Duration wait;

    BrowserLogin(OAuthHttp http, CliContext ctx, Duration wait) {
        this.http = http;
        this.ctx = ctx;
        this.wait = wait;
    }

    /** Whether a browser can be shown here: a display on Linux and the BSDs, always on macOS and Windows. */
    static boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("mac") || os.contains("windows")) {
            return true;
        }
        return present("DISPLAY") || present("WAYLAND_DISPLAY") || present("BROWSER");
    }

    private static boolean present(String var) {
        String v = System.getenv(var);
        return v != null && !v.isBlank();
    }

    OAuthTokens run() {
        String verifier = random(32);
        String state = random(16);
        String challenge = challenge(verifier);
        CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        HttpServer listener = listen(callback);
        try {
            String redirect = "http://127.0.0.1:" + listener.getAddress().getPort() + "/callback";
            String url = http.server().resolve(Api.OAUTH_AUTHORIZE) + "?client_id=" + Api.OAUTH_CLIENT_ID + "&redirect_uri=" + enc(redirect)
                    + "&response_type=code&scope=" + Api.OAUTH_SCOPE + "&code_challenge=" + challenge + "&code_challenge_method=S256"
                    + "&state=" + state;
            ctx.out().println("Opening your browser to log in. If it does not open, visit:");
            ctx.out().println("  " + url);
            ctx.out().println("Waiting up to " + DeviceLogin.human(wait) + " for the sign-in… (no browser here? use `spec-kitty auth login --headless`)");
            ctx.out().flush();
            open(url).ifPresent(problem -> ctx.err().println("note: " + problem + "; open the URL above yourself"));
            Map<String, String> q;
            try {
                q = callback.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new CliException(ExitCodes.AUTH_REQUIRED, "no sign-in arrived within " + DeviceLogin.human(wait)
                        + "; run `spec-kitty auth login` again, or `spec-kitty auth login --headless` on a machine without a browser");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.failure("interrupted while waiting for the sign-in; nothing was stored");
            } catch (java.util.concurrent.ExecutionException e) {
                throw CliException.failure("the sign-in listener failed (" + ErrorText.of(e.getCause()) + ")");
            }
            if (!MessageDigest.isEqual(state.getBytes(StandardCharsets.US_ASCII), q.getOrDefault("state", "").getBytes(StandardCharsets.UTF_8))) {
                throw new CliException(ExitCodes.AUTH_REQUIRED, "the sign-in came back with another state than this login sent "
                        + "(not this login's answer); nothing was stored. Run `spec-kitty auth login` again");
            }
            if (q.containsKey("error")) {
                String what = q.get("error").equals(OAuthError.ACCESS_DENIED) ? "the login was denied in the browser"
                        : "the server refused the login (" + clean(q.get("error")) + (q.containsKey("error_description")
                        ? ": " + clean(q.get("error_description")) : "") + ")";
                throw new CliException(ExitCodes.AUTH_REQUIRED, what + "; nothing was stored. Run `spec-kitty auth login` again");
            }
            String code = Optional.ofNullable(q.get("code")).orElseThrow(() -> CliException.failure(
                    "the sign-in came back without a code; run `spec-kitty auth login` again"));
            OAuthHttp.Answer a = http.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirect,
                    "client_id", Api.OAUTH_CLIENT_ID, "code_verifier", verifier));
            if (a.status() != 200) {
                OAuthError e = http.error(a);
                throw new CliException(ExitCodes.AUTH_REQUIRED, "the server refused the sign-in's code (" + e.error()
                        + (e.errorDescription().isEmpty() ? "" : ": " + e.errorDescription()) + "); run `spec-kitty auth login` again");
            }
            return http.tokens(a);
        } finally {
            listener.stop(0);
        }
    }

    private static String clean(String s) {
        return Printable.clip(ErrorText.clean(s), 200);
    }

    /** The one-shot callback listener; only {@code /callback} completes it. */
    private static HttpServer listen(CompletableFuture<Map<String, String>> callback) {
        HttpServer server = null;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int port = 28888; port <= 28898 && server == null; port++) {
            try {
                server = HttpServer.create(new InetSocketAddress(loopback, port), 4);
            } catch (BindException e) {
                // taken: the next one
            } catch (IOException e) {
                break;
            }
        }
        try {
            if (server == null) {
                server = HttpServer.create(new InetSocketAddress(loopback, 0), 4);
            }
        } catch (IOException e) {
            throw CliException.failure("cannot listen on 127.0.0.1 for the browser's answer (" + ErrorText.of(e)
                    + "); use `spec-kitty auth login --headless`");
        }
        server.createContext("/callback", x -> {
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            boolean ok = q.containsKey("code") && !q.containsKey("error");
            byte[] page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + (ok ? "Signed in" : "Not signed in")
                    + "</title></head><body><h1>" + (ok ? "Signed in" : "Not signed in") + "</h1><p>"
                    + (ok ? "You can close this window and return to your terminal." : "Return to your terminal for the reason.")
                    + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            x.getResponseHeaders().add("Content-Security-Policy", "default-src 'none'");
            x.getResponseHeaders().add("Cache-Control", "no-store");
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
            callback.complete(q);
        });
        server.start();
        return server;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.length() > 8192) {
            return q;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                try {
                    q.putIfAbsent(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed escape: that parameter is left out
                }
            }
        }
        return q;
    }

    /** Starts a browser on {@code url}; a problem when none could be started. */
    private static Optional<String> open(String url) {
        List<String> cmd;
        String browser = System.getenv("BROWSER");
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (browser != null && !browser.isBlank()) {
            cmd = List.of(browser.trim().split("\\s+")[0], url);
        } else if (os.contains("mac")) {
            cmd = List.of("open", url);
        } else if (os.contains("windows")) {
            cmd = List.of("rundll32", "url.dll,FileProtocolHandler", url);
        } else {
            cmd = List.of("xdg-open", url);
        }
        try {
            new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot start " + cmd.get(0) + " (" + ErrorText.of(e) + ")");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
