package dev.pocketbridge.gateway.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.DeviceCredentialsRecord;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.gateway.GatewayIntegrationTest;

/**
 * Devices the node's credential view holds, read from the real broker's {@code devices.credentials},
 * handshake without a lookup at device-service; account changes on {@code devices} and {@code users}
 * hold off credentials older than them.
 */
class CredentialViewIntegrationTest extends GatewayIntegrationTest {

    /** Change numbers above any this JVM's other tests could use. */
    private static long changes = System.currentTimeMillis();

    @Autowired
    CredentialView view;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @BeforeEach
    void awaitConsumers() {
        await().atMost(Duration.ofSeconds(30)).until(view::isCaughtUp);
        // The account changes consumer reads only what is published after it has its partitions.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var accounts = listeners.getListenerContainer("gateway-accounts");
            return accounts != null && accounts.getAssignedPartitions() != null
                    && !accounts.getAssignedPartitions().isEmpty();
        });
    }

    @Test
    void aDeviceTheViewHoldsHandshakesWithoutAskingDeviceService() {
        DeviceIdentity device = newDevice();
        publishCredentials(device, true);

        establish(device).close();

        assertThat(lookupsOf(device)).isZero();
    }

    @Test
    void aRevocationHeardBeforeItsCredentialsEndsTheSessionAndTheViewWaitsForThem() {
        DeviceIdentity device = newDevice();
        long registration = publishCredentials(device, true);
        DeviceSession session = establish(device);
        // What device-service answers once the device is revoked.
        devices().put(device.deviceId(), credentials(device, false));

        publishChange(new AccountChange.DeviceRevoked(device.userId(), device.deviceId(), "lost", 0), ++changes);

        assertThat(closeCode(session)).isEqualTo(CloseCodes.DEVICE_REVOKED);
        await().atMost(WAIT).until(() -> view.find(device.deviceId()) == null);
        assertThat(refused(device)).isTrue();
        assertThat(lookupsOf(device)).as("asked device-service while the view waits").isEqualTo(1);
        // The registration sent again, then the credentials the revocation left.
        send(device, record(device, true), registration);
        publishCredentials(device, false);
        await().atMost(WAIT).until(() -> view.find(device.deviceId()) != null);
        assertThat(view.find(device.deviceId()).device().active()).isFalse();
        assertThat(refused(device)).isTrue();
    }

    @Test
    void aTombstoneOrARecordWithoutAChangeNumberSendsTheDeviceToDeviceService() {
        DeviceIdentity removed = newDevice();
        publishCredentials(removed, true);
        send(removed, null, ++changes);
        DeviceIdentity unnumbered = newDevice();
        publishCredentials(unnumbered, true);
        kafka.send(new ProducerRecord<>(Topics.DEVICE_CREDENTIALS, unnumbered.deviceId(),
                Json.write(record(unnumbered, true)))).join();

        await().atMost(WAIT).until(() -> view.find(removed.deviceId()) == null
                && view.find(unnumbered.deviceId()) == null);
        assertThat(refused(removed)).isTrue();
        assertThat(refused(unnumbered)).isTrue();
        assertThat(lookupsOf(removed)).isEqualTo(1);
        assertThat(lookupsOf(unnumbered)).isEqualTo(1);
    }

    @Test
    void aDeletedUsersDevicesAreDroppedFromTheView() {
        DeviceIdentity phone = newDevice();
        publishCredentials(phone, true);
        DeviceSession session = establish(phone);

        publishChange(new AccountChange.UserDeleted(phone.userId(), List.of(phone.deviceId()), 0), ++changes);

        assertThat(closeCode(session)).isEqualTo(CloseCodes.DEVICE_REVOKED);
        assertThat(view.find(phone.deviceId())).isNull();
        assertThat(refused(phone)).isTrue();
    }

    /** Publishes the device's credentials with the next change number, and waits until the view holds them. */
    private long publishCredentials(DeviceIdentity device, boolean active) {
        long changeId = ++changes;
        send(device, record(device, active), changeId);
        await().atMost(WAIT).until(() -> view.find(device.deviceId()) != null
                && view.find(device.deviceId()).device().active() == active);
        return changeId;
    }

    private void send(DeviceIdentity device, DeviceCredentialsRecord record, long changeId) {
        ProducerRecord<String, String> message = new ProducerRecord<>(Topics.DEVICE_CREDENTIALS, device.deviceId(),
                record == null ? null : Json.write(record));
        message.headers().add(Topics.CHANGE_ID_HEADER, Long.toString(changeId).getBytes(StandardCharsets.US_ASCII));
        kafka.send(message).join();
    }

    private void publishChange(AccountChange change, long changeId) {
        ProducerRecord<String, String> message = new ProducerRecord<>(change.topic(), change.userId(), Json.write(change));
        message.headers().add(Topics.CHANGE_ID_HEADER, Long.toString(changeId).getBytes(StandardCharsets.US_ASCII));
        kafka.send(message).join();
    }

    private static DeviceCredentialsRecord record(DeviceIdentity device, boolean active) {
        return new DeviceCredentialsRecord(credentials(device, active));
    }

    private static DeviceCredentials credentials(DeviceIdentity device, boolean active) {
        return new DeviceCredentials(device.deviceId(), device.userId(), device.publicKeyBase64(), active, null,
                "desktop");
    }
}
