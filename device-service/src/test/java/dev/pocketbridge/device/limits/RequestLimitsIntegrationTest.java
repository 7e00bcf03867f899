package dev.pocketbridge.device.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.RawHttp;

/**
 * device-service's request limits over real HTTP: bodies above the limit (413 before they are
 * read), the per-user limit keyed by the verified token only, and the instance-wide guard on
 * pairing-code lookups; each time another user goes on being served.
 */
class RequestLimitsIntegrationTest extends DeviceIntegrationTest {

    private static final long TWENTY_MIB = 20L * 1024 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/devices/register", "/api/v1/pairing"})
    void aDeclared20MiBBodyIs413FromItsHeadersAlone(String path) {
        // Only 64 KiB of the declared 20 MiB are ever sent: the answer cannot have waited for the rest.
        RawHttp.Answer answer = RawHttp.declaredBody(port, "POST", path, TWENTY_MIB, 64 * 1024);
        assertThat(answer.problemCode(413)).isEqualTo("payload_too_large");
        assertThat(registered("after a huge body").userId()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/devices/register", "/api/v1/pairing"})
    void aChunkedBodyWithoutLengthIs413OnceItPassesTheLimit(String path) {
        // Up to 20 MiB in chunks, and never the last chunk: the body never ends. (Pairing needs a
        // token first, so there the 401 may come before the body is read at all; either way it is
        // answered without it.)
        RawHttp.Answer answer = RawHttp.chunkedBody(port, "POST", path, TWENTY_MIB);
        assertThat(answer.status()).isIn(413, 401);
        if (path.endsWith("register")) {
            assertThat(answer.problemCode(413)).isEqualTo("payload_too_large");
        }
        assertThat(registered("after a chunked body").userId()).isNotBlank();
    }

    @Test
    void deeplyNestedOrHugeJsonInASmallBodyIs400() {
        TestDevice device = registered("Laptop");
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThat(problemCode(post("/api/v1/pairing", "{\"encrypted_payload\":\"AQID\",\"x\":" + deep + "}",
                device.bearer()), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/pairing", "{\"encrypted_payload\":\"" + "A".repeat(13_000) + "\"}",
                device.bearer()), 400)).isEqualTo("invalid_request");
        // The largest legitimate payload (8 KiB, 10,923 base64url characters) still fits.
        assertThat(post("/api/v1/pairing", new PairingBody("A".repeat(10_922)), device.bearer()).status())
                .isEqualTo(201);
    }

    @Test
    void aUserBeyondTheirLimitIs429WithRetryAfterWhileAnotherUserIsServedDuringAndAfter() {
        TestDevice busy = registered("Busy");
        TestDevice other = registered("Other");
        for (int i = 0; i < PER_USER_LIMIT; i++) {
            assertThat(get("/api/v1/devices", busy.bearer()).status()).isEqualTo(200);
        }
        Response limited = get("/api/v1/devices", busy.bearer());
        assertThat(problemCode(limited, 429)).isEqualTo("rate_limited");
        // 60 a minute: the next one in a second
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(problemCode(post("/api/v1/pairing", new PairingBody("AQID"), busy.bearer()), 429))
                .isEqualTo("rate_limited");

        assertThat(get("/api/v1/devices", other.bearer()).status()).isEqualTo(200);
        assertThat(pairingCode(other)).isNotBlank();

        clock.advance(Duration.ofMinutes(1));
        assertThat(get("/api/v1/devices", busy.bearer()).status()).isEqualTo(200);
        assertThat(get("/api/v1/devices", other.bearer()).status()).isEqualTo(200);
    }

    @Test
    void forgedTokensNamingAUserNeverDrainThatUsersLimit() {
        TestDevice victim = registered("Victim");
        String forged = AUTH.accessTokenWithUnpublishedKey(victim.userId(), victim.deviceId());
        for (int i = 0; i <= PER_USER_LIMIT; i++) {
            assertThat(problemCode(get("/api/v1/devices", "Authorization", "Bearer " + forged), 401))
                    .isEqualTo("unauthorized");
        }
        assertThat(get("/api/v1/devices", victim.bearer()).status()).isEqualTo(200);
    }

    @Test
    void pairingLookupsOfTheWholeInstanceAreGuardedWhateverTheirSource() {
        clock.advance(Duration.ofMinutes(2)); // a full guard, whatever earlier tests spent
        TestDevice device = registered("Laptop");
        String code = pairingCode(device);
        for (int i = 0; i < LOOKUP_LIMIT; i++) {
            assertThat(get("/api/v1/pairing/" + String.format("%04d-%04d", i, i)).status()).isEqualTo(404);
        }
        Response limited = get("/api/v1/pairing/0000-0001");
        assertThat(problemCode(limited, 429)).isEqualTo("rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        // While guessing has used the guard up, no lookup is answered, a right one included.
        assertThat(get("/api/v1/pairing/" + code).status()).isEqualTo(429);

        // The rest of the API is not affected, and lookups resume once the guard refills.
        assertThat(get("/api/v1/devices", device.bearer()).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(get("/api/v1/pairing/" + code).status()).isEqualTo(200);
    }
}
