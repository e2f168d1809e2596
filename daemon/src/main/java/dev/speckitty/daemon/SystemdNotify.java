package dev.speckitty.daemon;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The systemd notification protocol ({@code sd_notify}) for a {@code Type=notify} unit: datagrams
 * such as {@code READY=1} to the Unix datagram socket named by {@code $NOTIFY_SOCKET} (a path, or
 * {@code @name} in the abstract namespace). The JDK has no Unix datagram channel, so the datagram is
 * sent through the socket calls of Netty's epoll transport, which the daemon ships for its control
 * socket anyway; where that native library cannot load, {@code systemd-notify --pid} sends it
 * instead (the unit allows it with {@code NotifyAccess=all}). Failures are logged once and never stop
 * the daemon. Thread-safe.
 */
public final class SystemdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    /** A notify datagram is a few bytes; anything longer than this is not ours to send. */
    static final int MAX_MESSAGE_BYTES = 4096;

    private final String socket;
    private final long pid;
    private volatile boolean warned;

    private SystemdNotify(String socket, long pid) {
        this.socket = socket;
        this.pid = pid;
    }

    /** The notifier for {@code $NOTIFY_SOCKET}, or empty when systemd did not ask for notifications. */
    public static Optional<SystemdNotify> fromEnvironment(Map<String, String> env) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank() || !(socket.startsWith("/") || socket.startsWith("@"))) {
            return Optional.empty();
        }
        return Optional.of(new SystemdNotify(socket, ProcessHandle.current().pid()));
    }

    /**
     * How often to send {@code WATCHDOG=1}: half of {@code WATCHDOG_USEC}, as sd_watchdog_enabled(3)
     * advises; empty without a watchdog, or when {@code WATCHDOG_PID} names another process.
     */
    public static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec == null || (forPid != null && !forPid.isBlank() && !forPid.trim().equals(Long.toString(pid)))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(micros * 1000 / 2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sends one notification ({@code READY=1}, {@code STOPPING=1}, {@code WATCHDOG=1}, {@code STATUS=…}). */
    public void send(String state) {
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("notify message: " + message.length + " bytes (expected: <= " + MAX_MESSAGE_BYTES + ")");
        }
        try {
            if (Epoll.isAvailable()) {
                sendDatagram(message);
            } else {
                sendWithTool(state);
            }
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("cannot notify systemd on {} ({}); `systemctl --user start` may wait for its timeout", socket, e.getMessage());
            }
        }
    }

    private void sendDatagram(byte[] message) throws IOException {
        // An abstract address starts with a NUL byte in place of the '@'; the length passed to the
        // kernel is that of the name, which is exactly how abstract names are matched.
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        byte[] address = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(message.length);
        buf.put(message).flip();
        Socket s = Socket.newSocketDomainDgram();
        try {
            int sent = s.sendToDomainSocket(buf, 0, message.length, address);
            if (sent != message.length) {
                throw new IOException("sent " + sent + " of " + message.length + " bytes");
            }
        } finally {
            s.close();
        }
    }

    private void sendWithTool(String state) throws IOException {
        Process p = new ProcessBuilder(List.of("systemd-notify", "--pid=" + pid, state))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("systemd-notify did not finish within 5 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("systemd-notify exited " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
