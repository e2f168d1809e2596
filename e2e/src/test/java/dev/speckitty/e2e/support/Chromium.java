package dev.speckitty.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium driven through the DevTools protocol over the JDK's WebSocket client: one
 * page, commands answered within a timeout, the browser killed (with its children) on close. For
 * tests only; every wait is bounded.
 */
public final class Chromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final WebSocket page;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private Chromium(Process process, WebSocket page) {
        this.process = process;
        this.page = page;
    }

    /** The chromium binary on the PATH, if there is one. */
    public static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The debugger URL of the browser's first page, once it has one. */
    private static Optional<String> page(HttpClient http, URI list) {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (JsonNode t : Json.tree(r.body())) {
            if (t.path("type").asText().equals("page")) {
                return Optional.of(t.path("webSocketDebuggerUrl").asText());
            }
        }
        return Optional.empty();
    }

    /** Starts the browser with a fresh profile in {@code profile} and attaches to its page. */
    public static Chromium start(Path binary, Path profile) throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "--headless=new", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--no-sandbox", "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                "--disable-background-networking", "--window-size=900,800", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI browser = listening(p);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
            String pageUrl = Await.value(Duration.ofSeconds(20), "chromium to open a page", () -> page(http, list));
            Chromium[] self = new Chromium[1];
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(pageUrl), new Listener(() -> self[0])).get(10, TimeUnit.SECONDS);
            self[0] = new Chromium(p, ws);
            self[0].call("Page.enable", Json.object());
            self[0].call("Runtime.enable", Json.object());
            return self[0];
        } catch (Exception | Error e) {
            kill(p);
            throw e;
        }
    }

    /** Reads stderr until Chromium says where DevTools listens (20 s at most); keeps draining it afterwards. */
    private static URI listening(Process p) throws Exception {
        CompletableFuture<URI> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        found.complete(URI.create(m.group(1)));
                    }
                }
                found.completeExceptionally(new IllegalStateException("chromium exited before DevTools listened"));
            } catch (IOException e) {
                found.completeExceptionally(e);
            }
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return found.get(20, TimeUnit.SECONDS);
    }

    /** Sends a DevTools command and waits (bounded) for its result; a protocol error is an exception. */
    public JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = Json.object().put("id", id).put("method", method);
        msg.set("params", params);
        page.sendText(msg.toString(), true).get(5, TimeUnit.SECONDS);
        JsonNode reply = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    public void navigate(String url) throws Exception {
        call("Page.navigate", Json.object().put("url", url));
    }

    /** Evaluates a JavaScript expression in the page (DevTools evaluation, not a page script) and answers its value. */
    public JsonNode eval(String expression) throws Exception {
        return call("Runtime.evaluate", Json.object().put("expression", expression).put("returnByValue", true)).path("result").path("value");
    }

    /** Waits until {@code expression} is true in the page, polling; fails after {@code timeout}. */
    public void waitFor(String expression, Duration timeout) throws Exception {
        try {
            Await.until(timeout, "`" + expression + "` in the page", () -> {
                try {
                    return eval(expression).asBoolean(false);
                } catch (IllegalStateException e) {
                    return false; // the page is navigating; ask again
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (page: " + eval("location.href") + ")", e);
        }
    }

    public void screenshot(Path png) throws Exception {
        String data = call("Page.captureScreenshot", Json.object().put("format", "png")).path("data").asText();
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
        page.abort();
        kill(process);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onMessage(String text) {
        JsonNode msg = Json.tree(text);
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) {
                f.complete(msg);
            }
        }
    }

    /** Collects the frames of the page's socket into whole messages. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Supplier<Chromium> owner;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Supplier<Chromium> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                Chromium c = owner.get();
                if (c != null) {
                    c.onMessage(text);
                }
            }
            ws.request(1);
            return null;
        }
    }

}
