package dev.speckitty.server.http;

import dev.speckitty.protocol.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Reply} as a JSON response and logs the one line per request: method, raw path
 * (escaped and clipped, see {@link Clip}), status, latency; never headers or query values. A body
 * over {@link #SLICE} bytes goes out in slices, each written only while the connection is writable,
 * so a client that reads slowly holds at most the write-buffer high-water mark (plus a slice) of
 * direct memory.
 */
public final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger("dev.speckitty.server.access");
    /** Bodies up to this size are written in one piece; larger ones in slices of it. */
    static final int SLICE = 256 * 1024;

    private Responses() {
    }

    static FullHttpResponse toHttp(Reply reply, boolean keepAlive) {
        return full(reply, body(reply), keepAlive);
    }

    private static FullHttpResponse full(Reply reply, byte[] body, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(body));
        headers(res.headers(), reply, body.length, keepAlive);
        return res;
    }

    private static byte[] body(Reply reply) {
        if (reply.body() instanceof Reply.Raw raw) {
            return raw.bytes();
        }
        return reply.body() instanceof Reply.RawJson raw ? raw.bytes() : Json.writeBytes(reply.body());
    }

    private static void headers(HttpHeaders h, Reply reply, int length, boolean keepAlive) {
        h.set(HttpHeaderNames.CONTENT_TYPE, reply.body() instanceof Reply.Raw raw ? raw.contentType() : HttpHeaderValues.APPLICATION_JSON);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        for (Map.Entry<String, String> e : reply.headers().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** Writes the reply (in slices when it is large); the future completes when all of it is written. */
    static ChannelFuture write(Channel ch, Reply reply, boolean keepAlive) {
        byte[] body = body(reply);
        if (body.length <= SLICE) {
            return ch.writeAndFlush(full(reply, body, keepAlive));
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, reply.status());
        headers(head.headers(), reply, body.length, keepAlive);
        ch.write(head);
        return ch.writeAndFlush(new HttpChunkedInput(new BodySlices(body, SLICE)));
    }

    /** Writes the reply, closes the connection unless it stays alive, and logs the request. Safe from any thread. */
    static ChannelFuture send(Channel ch, HttpMethod method, String path, long startNanos, Reply reply, boolean keepAlive) {
        log(method, path, reply.status(), startNanos);
        ChannelFuture future = write(ch, reply, keepAlive);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
        return future;
    }

    /** An error answer that closes the connection; for handlers outside this package. */
    public static void sendError(Channel ch, HttpMethod method, String path, long startNanos, int status, String message) {
        send(ch, method, path, startNanos, Reply.error(HttpResponseStatus.valueOf(status), message), false);
    }

    public static void logStatus(HttpMethod method, String path, int status, long startNanos) {
        log(method, path, HttpResponseStatus.valueOf(status), startNanos);
    }

    /** The access log line; {@code rawPath} as the client sent it, escaped here. */
    static void log(HttpMethod method, String rawPath, HttpResponseStatus status, long startNanos) {
        LOG.info("{} {} {} {}ms", Clip.echo(method.name()), Clip.of(rawPath, Clip.LOG), status.code(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
}
