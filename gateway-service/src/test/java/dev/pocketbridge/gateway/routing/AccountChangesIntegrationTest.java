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

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.gateway.TestDevice;

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
        TestDevice revoked = registeredDevice();
        TestDevice sibling = track(new TestDevice(revoked.userId, UUID.randomUUID().toString()));
        devices().put(sibling.deviceId, credentials(sibling));
        revoked.handshake(port);
        sibling.handshake(port);

        publish(new AccountChange.DeviceRevoked(revoked.userId, revoked.deviceId, "lost phone", now()));

        await().atMost(WITHIN).until(revoked::isClosed);
        assertThat(revoked.closeCode()).isEqualTo(CloseCodes.DEVICE_REVOKED);
        assertStaysOpen(sibling);
    }

    @Test
    void aRemovedDevicesSessionIsClosedWith4003WithinASecond() {
        TestDevice removed = registeredDevice();
        removed.handshake(port);

        publish(new AccountChange.DeviceRemoved(removed.userId, removed.deviceId, now()));

        await().atMost(WITHIN).until(removed::isClosed);
        assertThat(removed.closeCode()).isEqualTo(CloseCodes.DEVICE_REVOKED);
    }

    @Test
    void aDeletedUsersSessionsAreAllClosedWith4003AndOtherUsersStayOpen() {
        TestDevice phone = registeredDevice();
        TestDevice laptop = track(new TestDevice(phone.userId, UUID.randomUUID().toString()));
        devices().put(laptop.deviceId, credentials(laptop));
        TestDevice stranger = registeredDevice();
        phone.handshake(port);
        laptop.handshake(port);
        stranger.handshake(port);

        publish(new AccountChange.UserDeleted(phone.userId, List.of(phone.deviceId, laptop.deviceId), now()));

        await().atMost(WITHIN).until(() -> phone.isClosed() && laptop.isClosed());
        assertThat(phone.closeCode()).isEqualTo(CloseCodes.DEVICE_REVOKED);
        assertThat(laptop.closeCode()).isEqualTo(CloseCodes.DEVICE_REVOKED);
        assertStaysOpen(stranger);
    }

    @Test
    void aDeletedUsersPresenceKeysEndAsTombstonesAndOtherUsersKeysStay() {
        try (Consumer<String, String> presence = consumerAtEnd(Topics.PRESENCE)) {
            TestDevice device = registeredDevice();
            String liveKey = Topics.presenceSessionKey(device.deviceId, device.handshake(port).sessionId());
            // Sessions of an earlier life of a node that never got their close: one of the user, one of another.
            String userId = device.userId;
            String staleKey = publishStaleSession(userId);
            String otherKey = publishStaleSession(UUID.randomUUID().toString());
            Map<String, String> newest = new HashMap<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                presence.poll(Duration.ofMillis(200)).forEach(r -> newest.put(r.key(), r.value()));
                return newest.get(liveKey) != null && newest.get(staleKey) != null && newest.get(otherKey) != null;
            });

            publish(new AccountChange.UserDeleted(userId, List.of(device.deviceId), now()));

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                presence.poll(Duration.ofMillis(200)).forEach(r -> newest.put(r.key(), r.value()));
                return newest.containsKey(liveKey) && newest.get(liveKey) == null
                        && newest.containsKey(staleKey) && newest.get(staleKey) == null;
            });
            assertThat(device.closeCode()).isEqualTo(CloseCodes.DEVICE_REVOKED);
            assertThat(newest.get(otherKey)).isNotNull();
            // Nothing of the user's sessions written after its tombstones.
            presence.poll(Duration.ofMillis(500)).forEach(r -> newest.put(r.key(), r.value()));
            assertThat(newest.get(liveKey)).isNull();
            assertThat(newest.get(staleKey)).isNull();
        }
    }

    @Test
    void unreadableRecordsAreSkippedAndTheChangesBehindThemStillClose() {
        TestDevice device = registeredDevice();
        device.handshake(port);

        kafka.send(Topics.DEVICES, device.userId, "{not json").join();
        kafka.send(Topics.DEVICES, device.userId, "{\"kind\":\"device_exploded\",\"user_id\":\"" + device.userId + "\"}")
                .join();
        kafka.send(Topics.DEVICES, device.userId, "{\"kind\":\"device_revoked\",\"schema_version\":1}").join();
        kafka.send(Topics.DEVICES, device.userId, null).join();
        kafka.send(Topics.USERS, device.userId, "[]").join();
        publish(new AccountChange.DeviceRevoked(device.userId, device.deviceId, null, now()));

        await().atMost(Duration.ofSeconds(5)).until(device::isClosed);
        assertThat(device.closeCode()).isEqualTo(CloseCodes.DEVICE_REVOKED);
    }

    @Test
    void aRestoredDeviceKeepsItsSessionAndAHandshakeAfterARevocationIsNotClosed() {
        TestDevice device = registeredDevice();
        device.handshake(port);

        publish(new AccountChange.DeviceUnrevoked(device.userId, device.deviceId, now()));
        assertStaysOpen(device);

        // Revoked, then restored: device-service answers the next handshake with the device active again.
        TestDevice again = track(new TestDevice(device.userId, device.deviceId));
        TestDevice other = registeredDevice();
        other.handshake(port);
        publish(new AccountChange.DeviceRevoked(device.userId, device.deviceId, "mistake", now()));
        await().atMost(WITHIN).until(device::isClosed);
        publish(new AccountChange.DeviceUnrevoked(device.userId, device.deviceId, now()));
        devices().put(again.deviceId, credentials(again));
        // Checked at device-service after the revocation arrived: not closed for it.
        again.handshake(port);
        assertStaysOpen(again);
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

    private static DeviceCredentials credentials(TestDevice device) {
        return new DeviceCredentials(device.deviceId, device.userId,
                device.publicKey(), true);
    }

    private static void assertStaysOpen(TestDevice device) {
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> !device.isClosed());
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
