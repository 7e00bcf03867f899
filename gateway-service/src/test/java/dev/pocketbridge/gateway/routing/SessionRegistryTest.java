package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.CloseCodes;

class SessionRegistryTest {

    static final RoutingProperties PROPS = new RoutingProperties(0, Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(50), Duration.ofSeconds(30), 12, 12, 6, Duration.ofSeconds(2), Duration.ofSeconds(5));
    private final SessionRegistry registry = new SessionRegistry(mock(PresencePublisher.class), PROPS);

    @Test
    void aNewSessionOfTheSameDeviceSupersedesTheOlderOne() {
        FakeSession older = new FakeSession("s1", "u", "d");
        FakeSession newer = new FakeSession("s2", "u", "d");
        registry.register(older);
        registry.register(newer);
        assertThat(older.closes()).containsExactly(CloseCodes.SUPERSEDED);
        assertThat(registry.device("d")).containsSame(newer);
        // The older one's close must not unregister the newer one.
        registry.unregister(older);
        assertThat(registry.device("d")).containsSame(newer);
        assertThat(registry.session("s1")).isEmpty();
    }

    @Test
    void stoppingClosesEverySessionWithGoingAway() {
        FakeSession a = new FakeSession("s1", "u", "d1");
        FakeSession b = new FakeSession("s2", "u", "d2");
        registry.register(a);
        registry.register(b);
        registry.stop();
        assertThat(a.closes()).containsExactly(CloseCodes.GOING_AWAY);
        assertThat(b.closes()).containsExactly(CloseCodes.GOING_AWAY);
        // A session established while draining is turned away.
        FakeSession late = new FakeSession("s3", "u", "d3");
        registry.register(late);
        assertThat(late.closes()).containsExactly(CloseCodes.GOING_AWAY);
        assertThat(registry.session("s3")).isEmpty();
    }
}
