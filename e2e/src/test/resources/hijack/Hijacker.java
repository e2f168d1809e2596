import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Another local user taking a victim's control socket (issue 21, finding 4), run by the test as that
 * user with the JDK's source launcher: makes the fallback socket directory first, mode 0777, binds the
 * socket name, and answers every request "accepted" as a daemon would, writing how many bytes each
 * connection sent to {@code <dir>/received}. Runs until killed, and at most 5 minutes.
 */
public class Hijacker {
    public static void main(String[] args) throws Exception {
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(300_000);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(3); // a test that died before killing it does not leave it behind
        });
        limit.setDaemon(true);
        limit.start();
        Path dir = Path.of(args[0]);
        Path socket = Path.of(args[1]);
        Path received = dir.resolve("received");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(received, "", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.setPosixFilePermissions(received, PosixFilePermissions.fromString("rw-rw-rw-"));
        System.out.println("listening on " + socket);
        System.out.flush();
        while (true) {
            try (SocketChannel c = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                int total = 0;
                int n;
                while ((n = c.read(buf)) > 0) {
                    total += n;
                    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
                    buf.clear();
                    if (text.contains("\r\n\r\n")) {
                        byte[] body = "{\"accepted\":1,\"event_ids\":[\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\"],\"queue_depth\":1}".getBytes(StandardCharsets.UTF_8);
                        c.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                        c.write(ByteBuffer.wrap(body));
                        break;
                    }
                }
                Files.writeString(received, total + "\n", StandardOpenOption.APPEND);
            } catch (Exception e) {
                // one bad connection must not stop the listener
            }
        }
    }
}
