package dev.speckitty.server.http;

import dev.speckitty.protocol.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a {@link Reply} as a JSON response and logs the one line per request (method, path, status, latency; never headers). */
public final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger("dev.speckitty.server.access");

    private Responses() {
    }

    static FullHttpResponse toHttp(Reply reply, boolean keepAlive) {
        byte[] body = reply.body() instanceof Reply.RawJson raw ? raw.bytes() : Json.writeBytes(reply.body());
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            res.headers().set(h.getKey(), h.getValue());
        }
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return res;
    }

    /** Writes the reply, closes the connection unless it stays alive, and logs the request. Safe from any thread. */
    static void send(Channel ch, HttpMethod method, String path, long startNanos, Reply reply, boolean keepAlive) {
        FullHttpResponse res = toHttp(reply, keepAlive);
        log(method, path, reply.status(), startNanos);
        var future = ch.writeAndFlush(res);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** An error answer that closes the connection; for handlers outside this package. */
    public static void sendError(Channel ch, HttpMethod method, String path, long startNanos, int status, String message) {
        send(ch, method, path, startNanos, Reply.error(HttpResponseStatus.valueOf(status), message), false);
    }

    public static void logStatus(HttpMethod method, String path, int status, long startNanos) {
        log(method, path, HttpResponseStatus.valueOf(status), startNanos);
    }

    static void log(HttpMethod method, String path, HttpResponseStatus status, long startNanos) {
        LOG.info("{} {} {} {}ms", method, path, status.code(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
}
