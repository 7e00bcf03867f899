package dev.pocketbridge.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.RawHttp;

/**
 * Body limits and per-address rate limits at the edge, over real HTTP. Each test speaks from
 * 127.0.0.x addresses of its own, so the buckets of one test never drain another's.
 */
class LimitsIntegrationTest extends GatewayIntegrationTest {

    private static final long TWENTY_MIB = 20L * 1024 * 1024;
    private static final String PAIRING_LOOKUP = "/api/v1/pairing/ABCD-EFGH";
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(10);

    /** A client from a 127.0.0.x address no other test uses. */
    private HttpTestClient newClient() {
        return new HttpTestClient(() -> port, address("127.0.0." + NEXT_ADDRESS.getAndIncrement()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/devices/register", "/api/v1/auth/challenge", "/api/v1/pairing"})
    void aDeclared20MiBBodyIs413FromItsHeadersAlone(String path) {
        // Only 64 KiB of the declared 20 MiB are ever sent: the answer cannot have waited for the rest.
        RawHttp.Answer answer = RawHttp.declaredBody(port, "POST", path, TWENTY_MIB, 64 * 1024);
        assertThat(answer.problemCode(413)).isEqualTo("payload_too_large");
        assertThat(answer.body()).contains("16384");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/devices/register", "/api/v1/auth/challenge", "/api/v1/pairing"})
    void aChunkedBodyWithoutLengthIs413OnceItPassesTheLimit(String path) {
        // Up to 20 MiB in chunks, and never the last chunk: the body never ends.
        RawHttp.Answer answer = RawHttp.chunkedBody(port, "POST", path, TWENTY_MIB);
        assertThat(answer.problemCode(413)).isEqualTo("payload_too_large");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsForwardedWithItsLength() {
        STUB.routedBodies.clear();
        String body = "{\"x\":\"" + "a".repeat(10_000) + "\"}";
        Response response = newClient().post("/api/v1/events", body);
        assertThat(response.status()).isEqualTo(200);
        // HttpTestClient sends a Content-Length; the stub sees the same body either way.
        assertThat(STUB.routedBodies).containsExactly(body.length() + "/" + body.length());

        STUB.routedBodies.clear();
        // A chunked body that never ends: cut off at the limit, and nothing of it reaches the service.
        RawHttp.Answer chunked = RawHttp.chunkedBody(port, "POST", "/api/v1/events", 64 * 1024);
        assertThat(chunked.problemCode(413)).isEqualTo("payload_too_large");
        assertThat(STUB.routedBodies).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST /api/v1/auth/challenge", "POST /api/v1/devices/register", "POST /api/v1/auth/token",
            "POST /api/v1/auth/refresh", "GET " + PAIRING_LOOKUP})
    void aBurstFromOneAddressIs429WithRetryAfterWhileAnotherAddressStillGetsThrough(String endpoint) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1);
        HttpTestClient attacker = newClient();
        HttpTestClient other = newClient();

        for (int i = 0; i < RATE_LIMIT; i++) {
            assertThat(call(attacker, method, path).status()).isNotEqualTo(429);
        }
        Response limited = call(attacker, method, path);
        assertThat(HttpTestClient.problemCode(limited, 429)).isEqualTo("rate_limited");
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        // RATE_LIMIT requests refill over an hour: one more comes after 12 minutes
        assertThat(retryAfter).isBetween(1L, 3600L / RATE_LIMIT);

        Response otherAnswer = call(other, method, path);
        assertThat(otherAnswer.status()).as(otherAnswer.raw().body()).isNotEqualTo(429);
        assertThat(call(attacker, method, path).status()).isEqualTo(429);
        assertThat(call(other, method, path).status()).isNotEqualTo(429);
    }

    @Test
    void pairingLookupsOfRandomCodesAreCutOffWhileAnotherAddressStillGets404() {
        HttpTestClient attacker = newClient();
        HttpTestClient other = newClient();
        int notFound = 0;
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            Response response = attacker.get("/api/v1/pairing/" + randomCode(i));
            if (response.status() == 404) {
                notFound++;
            } else if (response.status() == 429) {
                limited++;
                assertThat(response.header("Retry-After")).isNotBlank();
            }
        }
        assertThat(notFound).isEqualTo(RATE_LIMIT);
        assertThat(limited).isEqualTo(100 - RATE_LIMIT);
        Response otherAnswer = other.get(PAIRING_LOOKUP);
        assertThat(otherAnswer.status()).isEqualTo(404); // the stub device-service's answer, passed through
        assertThat(otherAnswer.text("code")).isEqualTo("not_found");
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxyAndOnlyItsNearestEntry() {
        // 127.0.0.1 is configured as a trusted proxy: the client is the address it forwards for.
        HttpTestClient proxy = new HttpTestClient(() -> port, address("127.0.0.1"));
        for (int i = 0; i < RATE_LIMIT; i++) {
            assertThat(proxy.get(PAIRING_LOOKUP, "X-Forwarded-For", "198.51.100.1").status()).isEqualTo(404);
        }
        assertThat(proxy.get(PAIRING_LOOKUP, "X-Forwarded-For", "198.51.100.1").status()).isEqualTo(429);
        assertThat(proxy.get(PAIRING_LOOKUP, "X-Forwarded-For", "198.51.100.2").status()).isEqualTo(404);
        // What the client itself wrote left of the proxy's entry is not believed.
        assertThat(proxy.get(PAIRING_LOOKUP, "X-Forwarded-For", "203.0.113.9, 198.51.100.1").status()).isEqualTo(429);

        // From an address that is no trusted proxy, X-Forwarded-For is ignored: it is counted as itself.
        HttpTestClient direct = newClient();
        for (int i = 0; i < RATE_LIMIT; i++) {
            assertThat(direct.get(PAIRING_LOOKUP, "X-Forwarded-For", "198.51.100." + (10 + i)).status())
                    .isEqualTo(404);
        }
        assertThat(direct.get(PAIRING_LOOKUP, "X-Forwarded-For", "198.51.100.99").status()).isEqualTo(429);
    }

    private static Response call(HttpTestClient client, String method, String path) {
        return method.equals("GET") ? client.get(path) : client.post(path, "{}");
    }

    private static String randomCode(int i) {
        return String.format("%04d-%04d", i, 9999 - i);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
