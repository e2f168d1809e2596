package dev.speckitty.server.oauth;

import dev.speckitty.server.http.Reply;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sign-in pages, rendered on the server: plain HTML forms that work without JavaScript, no script
 * and nothing from another origin. Every answer carries a strict policy: CSP {@code default-src
 * 'none'} (the one inline style allowed by its hash), forms posting only to this server (and, on the
 * authorization page, to the client's loopback redirect, where the approval lands), no framing, no
 * referrer, no caching. Every value is HTML-escaped. Stateless.
 */
final class Pages {
    private static final String STYLE = "body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#222}"
            + "label{display:block;margin:.8em 0 .2em}input{font-size:1.1em;padding:.3em;width:100%;box-sizing:border-box}"
            + "button{font-size:1.1em;margin:1em .5em 0 0;padding:.4em 1.2em}.error{color:#a00;font-weight:bold}"
            + ".code{font-family:monospace;font-size:1.4em;letter-spacing:.1em}";
    private static final String STYLE_HASH = "'sha256-" + sha256(STYLE) + "'";

    private Pages() {
    }

    /** A field of a form: visible or hidden. */
    record Field(String name, String label, String type, String value) {
        static Field hidden(String name, String value) {
            return new Field(name, "", "hidden", value);
        }
    }

    static Reply form(HttpResponseStatus status, String title, String intro, String error, String action, List<Field> fields,
            List<String> formActionOrigins, Map<String, String> extraHeaders) {
        StringBuilder b = start(title);
        if (!intro.isEmpty()) {
            b.append("<p>").append(intro).append("</p>\n");
        }
        if (!error.isEmpty()) {
            b.append("<p class=\"error\" role=\"alert\">").append(esc(error)).append("</p>\n");
        }
        b.append("<form method=\"post\" action=\"").append(esc(action)).append("\">\n");
        for (Field f : fields) {
            if (f.type().equals("hidden")) {
                b.append("<input type=\"hidden\" name=\"").append(esc(f.name())).append("\" value=\"").append(esc(f.value())).append("\">\n");
            } else {
                b.append("<label for=\"").append(esc(f.name())).append("\">").append(esc(f.label())).append("</label>")
                        .append("<input id=\"").append(esc(f.name())).append("\" name=\"").append(esc(f.name())).append("\" type=\"")
                        .append(f.type()).append("\" value=\"").append(esc(f.value())).append("\"")
                        .append(f.type().equals("password") ? " autocomplete=\"current-password\"" : "")
                        .append(f.name().equals("username") ? " autocomplete=\"username\"" : "")
                        .append(" required>\n");
            }
        }
        b.append("<button type=\"submit\" name=\"action\" value=\"approve\" id=\"approve\">Approve</button>")
                .append("<button type=\"submit\" name=\"action\" value=\"deny\" id=\"deny\" formnovalidate>Deny</button>\n</form>\n");
        return reply(status, end(b), formActionOrigins, extraHeaders);
    }

    /** A page with a message only (done, denied, or a request that cannot go on). */
    static Reply message(HttpResponseStatus status, String title, String text) {
        StringBuilder b = start(title);
        b.append("<p id=\"message\">").append(esc(text)).append("</p>\n");
        return reply(status, end(b), List.of(), Map.of());
    }

    private static StringBuilder start(String title) {
        return new StringBuilder(2048).append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").append(esc(title))
                .append(" · spec-kitty</title><style>").append(STYLE).append("</style></head>\n<body>\n<h1>").append(esc(title))
                .append("</h1>\n");
    }

    private static byte[] end(StringBuilder b) {
        return b.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Reply reply(HttpResponseStatus status, byte[] html, List<String> formActionOrigins, Map<String, String> extra) {
        StringBuilder formAction = new StringBuilder("'self'");
        formActionOrigins.forEach(o -> formAction.append(' ').append(o));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", "default-src 'none'; style-src " + STYLE_HASH + "; form-action " + formAction
                + "; frame-ancestors 'none'; base-uri 'none'");
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cache-Control", "no-store");
        h.putAll(extra);
        return new Reply(status, new Reply.Raw("text/html; charset=utf-8", html), Map.copyOf(h));
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
