package dev.speckitty.server.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Native epoll when the platform has it, NIO otherwise. */
public record Transport(String name, EventLoopGroup group, Class<? extends ServerChannel> channelType) {
    public static Transport create(String threadPrefix, int threads) {
        DefaultThreadFactory threadsFactory = new DefaultThreadFactory(threadPrefix, true);
        if (Epoll.isAvailable()) {
            return new Transport("epoll", new MultiThreadIoEventLoopGroup(threads, threadsFactory, EpollIoHandler.newFactory()),
                    EpollServerSocketChannel.class);
        }
        return new Transport("nio", new MultiThreadIoEventLoopGroup(threads, threadsFactory, NioIoHandler.newFactory()),
                NioServerSocketChannel.class);
    }
}
