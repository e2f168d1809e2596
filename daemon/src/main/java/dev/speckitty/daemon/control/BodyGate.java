package dev.speckitty.daemon.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserves a request's body in the {@link RequestBudget} from its head, before the body is read: the
 * length it declares, or the largest a request may be when it is sent in chunks. When that is not
 * left, the request is answered 503 and the connection closed, and nothing more of it is read. The
 * tickets go to {@link ControlHandler} in the order of the requests; a head past the largest size
 * gets none (the aggregator answers it 413 and never passes it on). One per channel, on its event loop.
 */
final class BodyGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BodyGate.class);

    private final RequestBudget budget;
    private final ArrayDeque<RequestBudget.Ticket> tickets;
    private boolean refused;

    BodyGate(RequestBudget budget, ArrayDeque<RequestBudget.Ticket> tickets) {
        this.budget = budget;
        this.tickets = tickets;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest head) {
            long declared;
            try {
                declared = HttpUtil.getContentLength(head, -1L);
            } catch (NumberFormatException e) {
                declared = 0; // a length that is not a number: the decoder marks the request failed, answered 400
            }
            long body = declared >= 0 ? declared : HttpUtil.isTransferEncodingChunked(head) ? ControlServer.MAX_REQUEST_BYTES : 0;
            if (body <= ControlServer.MAX_REQUEST_BYTES) {
                RequestBudget.Ticket ticket = budget.admit(body);
                if (ticket == null) {
                    refused = true;
                    ReferenceCountUtil.release(msg);
                    LOG.warn("control API: refused a request of {} bytes: the requests being read or answered hold {} of {} bytes",
                            body, budget.bytesHeld(), budget.maxBytes());
                    ControlHandler.answerAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the daemon is reading or answering "
                            + (budget.maxBytes() >> 20) + " MiB of other requests (expected: at most " + (budget.maxBytes() >> 20)
                            + " MiB at once); nothing was queued, try again");
                    return;
                }
                tickets.add(ticket);
            }
        } else if (!(msg instanceof HttpContent)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
