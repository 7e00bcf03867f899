package dev.pocketbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.ClientHandshake;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * The gateway's calls to the internal API carry a service token from auth-service's token endpoint
 * (the stub answers 401 without one): one token for many calls, replaced when a service refuses it.
 */
class InternalCallsIntegrationTest extends GatewayIntegrationTest {

    @Test
    void handshakesCarryOneCachedServiceToken() {
        establish(registeredDevice());
        int fetched = ISSUER.tokenRequests();
        int calls = STUB.internalAuthorizations.size();

        establish(registeredDevice());
        establish(registeredDevice());

        assertThat(ISSUER.tokenRequests()).isEqualTo(fetched);
        List<String> recent = STUB.internalAuthorizations.subList(calls, STUB.internalAuthorizations.size());
        // Each handshake: the device lookup and the position.
        assertThat(recent).hasSizeGreaterThanOrEqualTo(4).allSatisfy(a -> assertThat(ISSUER.isServiceToken(a)).isTrue());
        assertThat(new HashSet<>(recent)).hasSize(1);
    }

    @Test
    void aTokenAServiceRefusesIsDroppedAndANewOneFetched() {
        establish(registeredDevice());
        int fetched = ISSUER.tokenRequests();
        STUB.rejectNextTokens.set(1);

        DeviceSession refused = open();
        refused.sendFrame(new ClientHandshake(registeredDevice(), null).hello());
        next(refused, ServerFrame.ServerHello.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> STUB.rejectNextTokens.get() == 0);

        // The refusal is handled once its answer is read; from then on handshakes use a new token.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            establish(registeredDevice());
            assertThat(ISSUER.tokenRequests()).isEqualTo(fetched + 1);
        });
    }
}
