package dev.pocketbridge.device.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * The service token device-service's calls to auth-service carry (the stub's challenge consumption
 * answers 401 without one): fetched once, reused, renewed before it expires, and a token endpoint
 * that cannot answer is a 503 like an unreachable auth-service.
 */
class ServiceCredentialsIntegrationTest extends DeviceIntegrationTest {

    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    @Test
    void theServiceTokenIsFetchedOnceReusedAndRenewedBeforeItExpires() {
        registered("first");
        int fetched = AUTH.issuer().tokenRequests();

        registered("second");
        registered("third");
        assertThat(AUTH.issuer().tokenRequests()).isEqualTo(fetched);

        clock.advance(Duration.ofSeconds(TestIssuer.SERVICE_TOKEN_SECONDS).minus(RENEW_BEFORE).plusSeconds(5));
        registered("fourth");
        assertThat(AUTH.issuer().tokenRequests()).isEqualTo(fetched + 1);
    }

    @Test
    void noTokenFromAuthServiceIsUnavailableNotAnError() {
        registered("first");
        AUTH.failing(true);
        int fetched = AUTH.issuer().tokenRequests();
        clock.advance(Duration.ofSeconds(TestIssuer.SERVICE_TOKEN_SECONDS));

        var response = register("too late", null);

        assertThat(problemCode(response, 503)).isEqualTo("unavailable");
        assertThat(response.header("Retry-After")).isNotNull();
        assertThat(AUTH.issuer().tokenRequests()).isGreaterThan(fetched);
    }
}
