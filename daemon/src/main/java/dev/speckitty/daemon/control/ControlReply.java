package dev.speckitty.daemon.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;

/**
 * The answer to one request: either one full response, or a chunked stream of lines. Callable from
 * any thread; every write is handed to the channel's event loop, which keeps them in call order.
 * When the answer is complete it closes the connection (no keep-alive) or lets the next request run.
 */
final class ControlReply {
    private final Channel channel;
    private final boolean keepAlive;
    private final Runnable onDone;
    private final Runnable produced;
    private boolean streaming; // touched only by the one thread producing this reply

    /** {@code produced} runs once the answer is produced (the request's memory is given back); {@code onDone} once it is sent. */
    ControlReply(Channel channel, boolean keepAlive, Runnable produced, Runnable onDone) {
        this.channel = channel;
        this.keepAlive = keepAlive;
        this.produced = produced;
        this.onDone = onDone;
    }

    /** Sends one complete response; {@code afterSent} (may be null) runs once it is written. */
    void full(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers, Runnable afterSent) {
        produced.run();
        channel.eventLoop().execute(() -> {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            headers.forEach((k, v) -> response.headers().set(k, v));
            HttpUtil.setContentLength(response, body.length);
            HttpUtil.setKeepAlive(response, keepAlive);
            ChannelFuture sent = channel.writeAndFlush(response);
            if (afterSent != null) {
                sent.addListener(f -> afterSent.run());
            }
            finish(sent);
        });
    }

    /** True once {@link #line} has sent the headers of a chunked response. */
    boolean streaming() {
        return streaming;
    }

    /** Sends one line of a chunked response (headers first, on the first line) and flushes it. */
    void line(String contentType, byte[] json) {
        boolean first = !streaming;
        streaming = true;
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        channel.eventLoop().execute(() -> {
            if (first) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                HttpUtil.setTransferEncodingChunked(head, true);
                HttpUtil.setKeepAlive(head, keepAlive);
                channel.write(head);
            }
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
        });
    }

    /** Ends a chunked response started by {@link #line}. */
    void endStream() {
        produced.run();
        channel.eventLoop().execute(() -> finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)));
    }

    private void finish(ChannelFuture sent) {
        if (keepAlive) {
            sent.addListener(f -> onDone.run());
        } else {
            sent.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
