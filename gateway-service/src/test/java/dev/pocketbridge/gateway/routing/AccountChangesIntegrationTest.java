package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.gateway.GatewayIntegrationTest;

/**
 * Account changes published by device-service ({@code devices}, {@code users}) close sessions over
 * real WebSockets, through the real broker, within the second PROTOCOL §3.5 allows.
 */
class AccountChangesIntegrationTest extends GatewayIntegrationTest {

    /** PROTOCOL §3.5: closed "within 1 s". */
    private static final Duration WITHIN = Duration.ofSeconds(1);

    @Autowired
    AccountChangesListener listener;

    @BeforeEach
    void awaitListener() {
        // The listener reads only what is published after it joined its group.
        await().atMost(Duration.ofSeconds(30)).until(listener::isJoined);
    }

    @Test
    void aRevokedDevicesSessionIsClosedWith4003WithinASecondAndItsSiblingStaysOpen() {
        DeviceIdentity revoked = registeredDevice();
        DeviceIdentity sibling = register(newDevice(revoked.userId(), UUID.randomUUID().toString()));
        DeviceSession revokedSession = establish(revoked);
        DeviceSession siblingSession = establish(sibling);

        publish(new AccountChange.DeviceRevoked(revoked.userId(), revoked.deviceId(), "lost phone", now()));

        await().atMost(WITHIN).until(revokedSession::isClosed);
        assertThat(closeCode(revokedSession)).isEqualTo(CloseCodes.DEVICE_REVOKED);
        assertStaysOpen(siblingSession);
    }

    @Test
    void aRemovedDevicesSessionIsClosedWith4003WithinASecond() {
        DeviceIdentity removed = registeredDevice();
        DeviceSession session = establish(removed);

        publish(new AccountChange.DeviceRemoved(removed.userId(), removed.deviceId(), now()));

        await().atMost(WITHIN).until(session::isClosed);
        assertThat(closeCode(session)).isEqualTo(CloseCodes.DEVICE_REVOKED);
    }

    @Test
    void aDeletedUsersSessionsAreAllClosedWith4003AndOtherUsersStayOpen() {
        DeviceIdentity phone = registeredDevice();
        DeviceIdentity laptop = register(newDevice(phone.userId(), UUID.randomUUID().toString()));
        DeviceSession phoneSession = establish(phone);
        DeviceSession laptopSession = establish(laptop);
        DeviceSession strangerSession = establish(registeredDevice());

        publish(new AccountChange.UserDeleted(phone.userId(), List.of(phone.deviceId(), laptop.deviceId()), now()));

        await().atMost(WITHIN).until(() -> phoneSession.isClosed() && laptopSession.isClosed());
        assertThat(closeCode(phoneSession)).isEqualTo(CloseCodes.DEVICE_REVOKED);
        assertThat(closeCode(laptopSession)).isEqualTo(CloseCodes.DEVICE_REVOKED);
        assertStaysOpen(strangerSession);
    }

    @Test
    void aDeletedUsersPresenceKeysEndAsTombstonesAndOtherUsersKeysStay() {
        try (Consumer<String, String> presence = consumerAtEnd(Topics.PRESENCE)) {
            DeviceIdentity device = registeredDevice();
            DeviceSession session = establish(device);
            String liveKey = Topics.presenceSessionKey(device.deviceId(), session.sessionId());
            // Sessions of an earlier life of a node that never got their close: one of the user, one of another.
            String userId = device.userId();
            String staleKey = publishStaleSession(userId);
            String otherKey = publishStaleSession(UUID.randomUUID().toString());
            Map<String, String> newest = new HashMap<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                presence.poll(Duration.ofMillis(200)).forEach(r -> newest.put(r.key(), r.value()));
                return newest.get(liveKey) != null && newest.get(staleKey) != null && newest.get(otherKey) != null;
            });

            publish(new AccountChange.UserDeleted(userId, List.of(device.deviceId()), now()));

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                presence.poll(Duration.ofMillis(200)).forEach(r -> newest.put(r.key(), r.value()));
                return newest.containsKey(liveKey) && newest.get(liveKey) == null
                        && newest.containsKey(staleKey) && newest.get(staleKey) == null;
            });
            assertThat(closeCode(session)).isEqualTo(CloseCodes.DEVICE_REVOKED);
            assertThat(newest.get(otherKey)).isNotNull();
            // Nothing of the user's sessions written after its tombstones.
            presence.poll(Duration.ofMillis(500)).forEach(r -> newest.put(r.key(), r.value()));
            assertThat(newest.get(liveKey)).isNull();
            assertThat(newest.get(staleKey)).isNull();
        }
    }

    @Test
    void unreadableRecordsAreSkippedAndTheChangesBehindThemStillClose() {
        DeviceIdentity device = registeredDevice();
        DeviceSession session = establish(device);
        String userId = device.userId();

        kafka.send(Topics.DEVICES, userId, "{not json").join();
        kafka.send(Topics.DEVICES, userId, "{\"kind\":\"device_exploded\",\"user_id\":\"" + userId + "\"}").join();
        kafka.send(Topics.DEVICES, userId, "{\"kind\":\"device_revoked\",\"schema_version\":1}").join();
        kafka.send(Topics.DEVICES, userId, null).join();
        kafka.send(Topics.USERS, userId, "[]").join();
        publish(new AccountChange.DeviceRevoked(userId, device.deviceId(), null, now()));

        await().atMost(Duration.ofSeconds(5)).until(session::isClosed);
        assertThat(closeCode(session)).isEqualTo(CloseCodes.DEVICE_REVOKED);
    }

    @Test
    void aRestoredDeviceKeepsItsSessionAndAHandshakeAfterARevocationIsNotClosed() {
        DeviceIdentity device = registeredDevice();
        DeviceSession session = establish(device);

        publish(new AccountChange.DeviceUnrevoked(device.userId(), device.deviceId(), now()));
        assertStaysOpen(session);

        // Revoked, then restored: device-service answers the next handshake with the device active again.
        DeviceIdentity again = newDevice(device.userId(), device.deviceId());
        DeviceSession other = establish(registeredDevice());
        publish(new AccountChange.DeviceRevoked(device.userId(), device.deviceId(), "mistake", now()));
        await().atMost(WITHIN).until(session::isClosed);
        publish(new AccountChange.DeviceUnrevoked(device.userId(), device.deviceId(), now()));
        register(again);
        // Checked at device-service after the revocation arrived: not closed for it.
        DeviceSession restored = establish(again);
        assertStaysOpen(restored);
        assertStaysOpen(other);
    }

    // --- helpers

    private void publish(AccountChange change) {
        kafka.send(change.topic(), change.userId(), Json.write(change)).join();
    }

    private String publishStaleSession(String userId) {
        Presence stale = new Presence.SessionOpened(NODE_ID, 1, userId, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), 1);
        kafka.send(Topics.PRESENCE, stale.key(), Json.write(stale)).join();
        return stale.key();
    }

    private static void assertStaysOpen(DeviceSession session) {
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> !session.isClosed());
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
