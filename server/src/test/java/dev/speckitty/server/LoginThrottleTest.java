package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.server.http.LoginThrottle;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Password logins are throttled per username and per address with 429 and Retry-After; a success gives its token back. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginThrottleTest {
    @TempDir
    Path dir;

    @Test
    void bucketsRefillAtTheirRateAndASuccessGivesItsTokenBack() throws Exception {
        AtomicLong now = new AtomicLong(1_000);
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Rate(3, Duration.ofSeconds(2)), new LoginThrottle.Rate(2, Duration.ofSeconds(10)),
                now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            assertTrue(t.takeAddress(a).isEmpty());
        }
        assertEquals(Duration.ofSeconds(2), t.takeAddress(a).orElseThrow());
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        assertEquals(Duration.ofMillis(500), t.takeAddress(a).orElseThrow(), "three quarters of a token earned");
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertTrue(t.takeAddress(a).isEmpty());
        assertTrue(t.takeAddress(InetAddress.getByName("192.0.2.2")).isEmpty(), "each address has its own bucket");

        assertTrue(t.takeUser("ada").isEmpty());
        assertTrue(t.takeUser("ada").isEmpty());
        assertTrue(t.takeUser("ada").isPresent());
        t.succeeded(a, "ada");
        assertTrue(t.takeUser("ada").isEmpty(), "a successful login does not count against the account");
    }

    @Test
    void wrongPasswordsForOneAccountGet429WithRetryAfterWhileOtherAccountsLogIn() {
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir))) {
            server.users().add("ada", "team-a", "pw-ada");
            server.users().add("bob", "team-a", "pw-bob");
            ApiClient api = new ApiClient(server.url());
            int refused = 0;
            HttpResponse<String> last = null;
            for (int i = 0; i < LoginThrottle.PER_USER.burst() + 1; i++) {
                last = api.loginRaw("ada", "guess-" + i);
                if (last.statusCode() == 429) {
                    refused++;
                } else {
                    assertEquals(401, last.statusCode(), last.body());
                }
            }
            assertEquals(1, refused, "the burst is " + LoginThrottle.PER_USER.burst());
            assertEquals(429, last.statusCode());
            long retryAfter = Long.parseLong(last.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= LoginThrottle.PER_USER.refill().toSeconds(), "Retry-After " + retryAfter);
            assertTrue(last.body().contains("for user 'ada'") && last.body().contains("retry in"), last.body());
            assertEquals(200, api.loginRaw("bob", "pw-bob").statusCode(), "another account is not throttled");
        }
    }

    @Test
    void oneAddressTryingManyAccountsIsThrottledBeforeAnyPasswordIsHashed() {
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir))) {
            ApiClient api = new ApiClient(server.url());
            HttpResponse<String> r = null;
            int attempts = 0;
            while (attempts < LoginThrottle.PER_ADDRESS.burst() + 20) {
                attempts++;
                r = api.post(dev.speckitty.protocol.wire.Api.TOKEN, null,
                        Json.writeBytes(new TokenRequest("user" + attempts, "x")), Map.of());
                if (r.statusCode() == 429) {
                    break;
                }
                assertEquals(401, r.statusCode(), r.body());
            }
            assertEquals(429, r.statusCode(), "throttled within " + attempts + " attempts");
            assertTrue(attempts > LoginThrottle.PER_ADDRESS.burst(), "not before the burst: " + attempts);
            assertTrue(r.body().contains("from your address"), r.body());
            assertTrue(r.headers().firstValue("retry-after").isPresent());
        }
    }
}
