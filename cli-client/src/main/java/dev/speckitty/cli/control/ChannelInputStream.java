package dev.speckitty.cli.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A buffered stream over a non-blocking socket channel that gives up when no byte arrives for
 * {@code idleTimeout}: Unix-domain channels have no {@code SO_TIMEOUT}, so a selector bounds each
 * wait instead. Owned by the one thread that reads a response; not thread-safe.
 */
final class ChannelInputStream extends InputStream {
    private final SocketChannel channel;
    private final Selector selector;
    private final long idleTimeoutMillis;
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();

    ChannelInputStream(SocketChannel channel, Selector selector, Duration idleTimeout) {
        this.channel = channel;
        this.selector = selector;
        this.idleTimeoutMillis = Math.max(1, idleTimeout.toMillis());
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    /** Makes at least one byte available; false at end of stream. */
    private boolean fill() throws IOException {
        if (buffer.hasRemaining()) {
            return true;
        }
        buffer.clear();
        try {
            while (true) {
                int n = channel.read(buffer);
                if (n < 0) {
                    return false;
                }
                if (n > 0) {
                    return true;
                }
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                int ready = selector.select(idleTimeoutMillis);
                key.interestOps(0);
                selector.selectedKeys().clear();
                if (ready == 0) {
                    throw new SocketTimeoutException("no answer from the daemon for " + idleTimeoutMillis / 1000.0 + " s");
                }
            }
        } finally {
            buffer.flip();
        }
    }
}
