package dev.speckitty.daemon.control;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, answered one at a time and in order (HTTP/1.1 pipelining), because
 * each answer is produced later on the blocking executor. While it waits for a request (from the
 * connection's start, or after its last answer) a deadline runs: a client that has not delivered a
 * whole request by then (idle, or sending it a byte at a time) is answered 408 and closed; while an
 * answer is produced or streamed there is no deadline. A client may pipeline, but the socket is read
 * ahead by {@link #READ_AHEAD} request only: past that the channel stops reading until an answer is
 * sent, so the rest waits in the client's socket and a client that writes without reading cannot
 * fill the daemon's memory (before, every request it wrote was read and held). All state is owned by
 * the channel's event loop.
 */
final class ControlHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);

    /**
     * Whole requests held behind the one being answered before the channel stops reading. One read may
     * still bring a few more (what a 64 KiB read holds): a bound, not an exact count.
     */
    static final int READ_AHEAD = 1;

    private final ControlRoutes routes;
    private final Duration requestTimeout;
    private final RequestBudget budget;
    /** The tickets {@link BodyGate} reserved for the requests read, in their order. */
    private final ArrayDeque<RequestBudget.Ticket> tickets;
    private final ArrayDeque<ControlRequest> pending = new ArrayDeque<>();
    private boolean busy;
    private ScheduledFuture<?> deadline;

    ControlHandler(ControlRoutes routes, Duration requestTimeout, RequestBudget budget, ArrayDeque<RequestBudget.Ticket> tickets) {
        this.routes = routes;
        this.requestTimeout = requestTimeout;
        this.budget = budget;
        this.tickets = tickets;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        awaitRequest(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        // What was read and never started, and heads whose bodies never came, hold nothing any more;
        // the request being answered gives its ticket back when its answer is produced.
        for (ControlRequest r : pending) {
            r.ticket().release();
        }
        pending.clear();
        for (RequestBudget.Ticket t : tickets) {
            t.release();
        }
        tickets.clear();
        super.channelInactive(ctx);
    }

    /** Starts the time a client has to deliver its next whole request. */
    private void awaitRequest(ChannelHandlerContext ctx) {
        cancelDeadline();
        deadline = ctx.executor().schedule(() -> {
            if (!busy && ctx.channel().isActive()) {
                LOG.debug("control API: closing a connection without a whole request in {} ms", requestTimeout.toMillis());
                String within = requestTimeout.toMillis() % 1000 == 0 ? requestTimeout.toSeconds() + " s" : requestTimeout.toMillis() + " ms";
                answerAndClose(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "no whole request within " + within
                        + " (expected: a request head and body within " + within + " of connecting or of the last answer);"
                        + " closing the connection");
            }
        }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        cancelDeadline();
        RequestBudget.Ticket ticket = tickets.poll();
        if (ticket == null) {
            ticket = budget.none();
        }
        if (request.decoderResult().isFailure()) {
            ticket.release();
            answerAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + request.decoderResult().cause().getMessage());
            return;
        }
        pending.add(ControlRequest.copyOf(request, ticket));
        if (!busy) {
            next(ctx);
        } else if (pending.size() >= READ_AHEAD) {
            ctx.channel().config().setAutoRead(false); // the client waits with the rest
        }
    }

    private void next(ChannelHandlerContext ctx) {
        ControlRequest request = pending.poll();
        if (pending.size() < READ_AHEAD && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (request == null) {
            busy = false;
            awaitRequest(ctx); // kept alive: the next request has its own deadline
            return;
        }
        busy = true;
        // onDone runs in a write listener, i.e. on this channel's event loop.
        routes.dispatch(request, new ControlReply(ctx.channel(), request.keepAlive(), request.ticket()::release, () -> next(ctx)));
    }

    /** Answers {@code status} with the message as an {@link ErrorResponse}, then closes the connection. */
    static void answerAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        byte[] body = Json.writeBytes(ErrorResponse.of(message));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ControlRoutes.JSON);
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("control API connection failed", cause);
        ctx.close();
    }
}
