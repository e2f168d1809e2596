package dev.speckitty.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses, with 400 and a close, a request head the codec accepted but a hardened server must not
 * (what a proxy in front may read differently, so a request could be smuggled past it): a version
 * other than HTTP/1.0 or 1.1, HTTP/1.1 without exactly one {@code Host}, any {@code Transfer-Encoding}
 * but a single {@code chunked} (repeated, listed or unknown codings), and heads the codec itself
 * failed (a {@code Content-Length} beside {@code Transfer-Encoding}, conflicting lengths, lines too
 * long). Nothing after a refused head is read: the connection's bytes can no longer be trusted.
 * It sits behind the flow control, so a refusal comes after the answers to the requests before it.
 * One instance per connection; its state is owned by the channel's event loop.
 */
final class RequestHeadCheck extends ChannelInboundHandlerAdapter {
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest head) {
            Optional<String> problem = problem(head);
            if (problem.isPresent()) {
                refused = true;
                long start = System.nanoTime();
                Target target = Target.of(head.uri());
                ReferenceCountUtil.release(msg);
                Reply reply = Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + problem.get()
                        + "; the connection is closed");
                Responses.log(head.method(), target.path(), reply.status(), start);
                ctx.writeAndFlush(Responses.toHttp(reply, false)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** What is wrong with a request head, or empty when it may be served. */
    static Optional<String> problem(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            Throwable cause = head.decoderResult().cause();
            return Optional.of(Clip.of(cause.getMessage() == null ? "cannot be parsed" : cause.getMessage(), 100));
        }
        HttpVersion v = head.protocolVersion();
        boolean http11 = v.equals(HttpVersion.HTTP_1_1);
        if (!http11 && !v.equals(HttpVersion.HTTP_1_0)) {
            return Optional.of("version '" + Clip.echo(v.text()) + "' (expected: HTTP/1.1 or HTTP/1.0)");
        }
        HttpHeaders h = head.headers();
        int hosts = h.getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1 || (http11 && hosts == 0)) {
            return Optional.of(hosts + " Host headers (expected: exactly one" + (http11 ? ", as HTTP/1.1 requires)" : ")"));
        }
        List<String> codings = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (codings.size() != 1 || !codings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
                return Optional.of("Transfer-Encoding: '" + Clip.echo(String.join(", ", codings))
                        + "' (expected: none, or exactly one header saying chunked)");
            }
            if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                return Optional.of("Content-Length beside Transfer-Encoding (expected: one of the two)");
            }
        }
        return Optional.empty();
    }
}
