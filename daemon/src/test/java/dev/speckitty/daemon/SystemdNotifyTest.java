package dev.speckitty.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify to a real Unix datagram socket bound by python3 (the JDK cannot bind one), path and abstract. */
@Timeout(60)
class SystemdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void onlyASocketSystemdCouldHaveGivenIsUsed() {
        assertTrue(SystemdNotify.fromEnvironment(Map.of()).isEmpty());
        assertTrue(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "relative/path")).isEmpty());
        assertTrue(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "@abstract")).isPresent());
        assertTrue(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/user/1000/systemd/notify")).isPresent());
    }

    @Test
    void theWatchdogIntervalIsHalfOfWatchdogUsecForThisProcessOnly() {
        long pid = ProcessHandle.current().pid();
        assertEquals(Optional.of(Duration.ofSeconds(60)), SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "120000000"), pid));
        assertEquals(Optional.of(Duration.ofSeconds(60)),
                SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "120000000", "WATCHDOG_PID", Long.toString(pid)), pid));
        assertEquals(Optional.empty(), SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "120000000", "WATCHDOG_PID", "1"), pid));
        assertEquals(Optional.empty(), SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), pid));
        assertEquals(Optional.empty(), SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), pid));
        assertEquals(Optional.empty(), SystemdNotify.watchdogInterval(Map.of(), pid));
    }

    @Test
    void sendsDatagramsToAPathAndToAnAbstractName() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 binds the datagram socket");
        Path path = dir.resolve("notify");
        assertEquals(List.of("READY=1", "WATCHDOG=1"), receive(path.toString(), path.toString()));
        String name = "sk-notify-test-" + ProcessHandle.current().pid();
        assertEquals(List.of("READY=1", "WATCHDOG=1"), receive("\\0" + name, "@" + name));
    }

    /** Binds a datagram socket at {@code bindAs} (python syntax), sends two notifications to {@code notifySocket}, answers what arrived. */
    private static List<String> receive(String bindAs, String notifySocket) throws Exception {
        Process listener = new ProcessBuilder("/usr/bin/python3", "-u", "-c", String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.bind(sys.argv[1].replace('\\\\0', '\\0'))",
                "print('bound', flush=True)",
                "s.settimeout(30)",
                "for _ in range(2):",
                "    print(s.recv(4096).decode(), flush=True)"), bindAs).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("bound", in.readLine());
            SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", notifySocket)).orElseThrow();
            notify.send("READY=1");
            notify.send("WATCHDOG=1");
            List<String> got = List.of(in.readLine(), in.readLine());
            assertTrue(listener.waitFor(30, TimeUnit.SECONDS));
            return got;
        } finally {
            listener.destroyForcibly();
        }
    }
}
