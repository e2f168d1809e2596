package dev.speckitty.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * An answer body handed to the {@code ChunkedWriteHandler} in slices that wrap the body's array (no
 * copy here; the transport copies each slice into direct memory as it writes it, as it would the whole
 * body). Owned by the channel's event loop once written.
 */
final class BodySlices implements ChunkedInput<ByteBuf> {
    private final byte[] body;
    private final int slice;
    private int offset;

    BodySlices(byte[] body, int slice) {
        this.body = body;
        this.slice = slice;
    }

    @Override
    public boolean isEndOfInput() {
        return offset >= body.length;
    }

    @Override
    public void close() {
        offset = body.length;
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int n = Math.min(slice, body.length - offset);
        ByteBuf next = Unpooled.wrappedBuffer(body, offset, n);
        offset += n;
        return next;
    }

    @Override
    public long length() {
        return body.length;
    }

    @Override
    public long progress() {
        return offset;
    }
}
