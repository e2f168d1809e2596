package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsWithAPemCertificateAndKey() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "openssl is not installed: " + e.getMessage());
            return;
        }
        openssl.getInputStream().readAllBytes();
        assumeTrue(openssl.waitFor(20, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl could not make a certificate");

        try (TeamServer server = TeamServer.start(TestStore.loopback(dir.resolve("data")).withTls(cert, key))) {
            assertEquals("https", server.url().getScheme());
            server.users().add("ada", "team-a", "pw");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve(Api.TOKEN))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest("ada", "pw")))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
    }
}
