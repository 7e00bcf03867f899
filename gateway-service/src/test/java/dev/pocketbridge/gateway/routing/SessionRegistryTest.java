package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import java.util.ArrayList;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.CloseCodes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class SessionRegistryTest {

    static final RoutingProperties PROPS = new RoutingProperties(0, Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(50), Duration.ofSeconds(30), 12, 12, 6, Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(20));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionRegistry registry = new SessionRegistry(mock(PresencePublisher.class), PROPS, meters);

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

    @Test
    void aRevokedOrRemovedDeviceLosesItsSessionWith4003AndNothingElseCloses() {
        FakeSession revoked = new FakeSession("s1", "u", "d1");
        FakeSession sibling = new FakeSession("s2", "u", "d2");
        registry.register(revoked);
        registry.register(sibling);

        assertThat(registry.closeDevice("d1")).isEqualTo(1);
        assertThat(registry.closeDevice("unknown")).isZero();

        assertThat(revoked.closes()).containsExactly(CloseCodes.DEVICE_REVOKED);
        assertThat(sibling.closes()).isEmpty();
        assertThat(meters.counter(SessionRegistry.ACCOUNT_CLOSES_METRIC).count()).isEqualTo(1);
    }

    @Test
    void aDeletedUserLosesEverySessionWith4003AndOtherUsersKeepTheirs() {
        FakeSession a = new FakeSession("s1", "u", "d1");
        FakeSession b = new FakeSession("s2", "u", "d2");
        FakeSession other = new FakeSession("s3", "other", "d3");
        registry.register(a);
        registry.register(b);
        registry.register(other);

        assertThat(registry.closeUser("u")).isEqualTo(2);

        assertThat(a.closes()).containsExactly(CloseCodes.DEVICE_REVOKED);
        assertThat(b.closes()).containsExactly(CloseCodes.DEVICE_REVOKED);
        assertThat(other.closes()).isEmpty();
        assertThat(meters.counter(SessionRegistry.ACCOUNT_CLOSES_METRIC).count()).isEqualTo(2);
    }

    @Test
    void aHandshakeCheckedBeforeAnAccountChangeIsClosedWhenItRegistersAfterIt() {
        // Checked at device-service (made) before the change arrives, established after it.
        FakeSession revokedMeanwhile = new FakeSession("s1", "u", "d1");
        FakeSession deletedMeanwhile = new FakeSession("s2", "gone", "d2");
        registry.closeDevice("d1");
        registry.closeUser("gone");
        // Checked after the change: device-service's answer already reflects it (e.g. restored since).
        FakeSession checkedAfter = new FakeSession("s3", "u", "d1", new ArrayList<>(), System.nanoTime() + 1);

        registry.register(revokedMeanwhile);
        registry.register(deletedMeanwhile);
        assertThat(revokedMeanwhile.closes()).containsExactly(CloseCodes.DEVICE_REVOKED);
        assertThat(deletedMeanwhile.closes()).containsExactly(CloseCodes.DEVICE_REVOKED);

        registry.register(checkedAfter);
        assertThat(checkedAfter.closes()).isEmpty();
    }
}
