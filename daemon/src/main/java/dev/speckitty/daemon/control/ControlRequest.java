package dev.speckitty.daemon.control;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One control API request, copied off the Netty buffer so it can travel to the blocking executor, with
 * the {@link RequestBudget.Ticket} that holds its share of the daemon's memory until it is answered.
 */
record ControlRequest(HttpMethod method, String path, byte[] body, boolean keepAlive, RequestBudget.Ticket ticket) {
    static ControlRequest copyOf(FullHttpRequest request, RequestBudget.Ticket ticket) {
        return new ControlRequest(request.method(), new QueryStringDecoder(request.uri()).path(),
                ByteBufUtil.getBytes(request.content()), HttpUtil.isKeepAlive(request), ticket);
    }

    boolean hasBody() {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return true;
            }
        }
        return false;
    }
}
