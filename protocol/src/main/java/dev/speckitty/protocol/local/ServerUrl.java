package dev.speckitty.protocol.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks a team server URL: {@code https://} anywhere, {@code http://} only for loopback hosts. */
public final class ServerUrl {
    private ServerUrl() {
    }

    /** The URL without a trailing slash, or an {@link IllegalArgumentException} saying what to fix. */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("server URL '" + redactUserInfo(text) + "' is not a URL (" + e.getReason()
                    + "); set it with `spec-kitty config set sync.server_url https://your-server.example.com`");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("server URL '" + redactUserInfo(text) + "' must look like https://host[:port]");
        }
        // The URL is a base that API paths are appended to and that appears in status output and logs:
        // a query or fragment would break the paths, a user:password would leak into the logs.
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("server URL '" + redactUserInfo(text) + "' must not contain a user name or password;"
                    + " remove the part before '@' and log in with `spec-kitty auth login`");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("server URL '" + redactUserInfo(text) + "' must not have a query (?…) or fragment (#…);"
                    + " use the server's base URL, e.g. https://sync.example.com");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new IllegalArgumentException("server URL '" + redactUserInfo(text) + "': port " + uri.getPort()
                    + " (expected: 1..65535)");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("server URL '" + redactUserInfo(text) + "' uses http:// for a non-loopback host;"
                    + " use https:// (plain http is allowed only for localhost, 127.0.0.0/8 and ::1)");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /**
     * The URL in the one form two spellings of a server share: scheme and host in lower case, the
     * scheme's default port left out, no trailing slash; empty when it is not a valid server URL. Sync
     * state (tokens, pull cursor, inbox, queued events) is keyed by this form.
     */
    public static java.util.Optional<String> normalise(String text) {
        if (text == null || text.isBlank()) {
            return java.util.Optional.empty();
        }
        URI uri;
        try {
            uri = parse(text);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return java.util.Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path);
    }

    /** Whether two URLs name the same server ({@link #normalise} agrees); an invalid one matches nothing. */
    public static boolean sameServer(String a, String b) {
        java.util.Optional<String> left = normalise(a);
        return left.isPresent() && left.equals(normalise(b));
    }

    private static String redactUserInfo(String text) {
        return text.replaceFirst("//[^/@]*@", "//<redacted>@");
    }

    /** Whether the host names this machine's loopback interface. */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
