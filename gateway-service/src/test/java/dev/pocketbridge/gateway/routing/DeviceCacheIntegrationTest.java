package dev.pocketbridge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.gateway.batching.BatchedCalls;
import dev.pocketbridge.gateway.handshake.DeviceDirectory;
import dev.pocketbridge.gateway.handshake.DeviceLookup;
import reactor.core.publisher.Mono;

/**
 * The gateway keeps device-service's answers for the next handshakes of a device ({@link DeviceDirectory}),
 * and forgets them on every account change it reads from the real broker.
 */
class DeviceCacheIntegrationTest extends GatewayIntegrationTest {

    @Autowired
    DeviceDirectory directory;
    @Autowired
    AccountChangesListener listener;

    @BeforeEach
    void awaitListener() {
        // The listener reads only what is published after it joined its group.
        await().atMost(Duration.ofSeconds(30)).until(listener::isJoined);
    }

    @AfterEach
    void release() {
        STUB.releaseHeldDevices();
        STUB.heldDevices.clear();
    }

    @Test
    void aDeviceThatHandshakesAgainIsNotLookedUpAgain() {
        DeviceIdentity device = registeredDevice();
        establish(device).close();
        establish(device).close();
        establish(device);
        assertThat(lookupsOf(device)).isEqualTo(1);
    }

    @Test
    void aRevokedDeviceIsLookedUpAgainAndRefused() {
        DeviceIdentity device = registeredDevice();
        establish(device).close();
        STUB.devices.put(device.deviceId(), credentials(device, false));

        publish(new AccountChange.DeviceRevoked(device.userId(), device.deviceId(), "lost", System.currentTimeMillis()));

        await().atMost(Duration.ofSeconds(10)).until(() -> refused(device));
        assertThat(lookupsOf(device)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRestoredDeviceIsLookedUpAgainAndAccepted() {
        DeviceIdentity device = register(newDevice());
        STUB.devices.put(device.deviceId(), credentials(device, false));
        assertThat(refused(device)).isTrue();
        STUB.devices.put(device.deviceId(), credentials(device, true));

        publish(new AccountChange.DeviceUnrevoked(device.userId(), device.deviceId(), System.currentTimeMillis()));

        await().atMost(Duration.ofSeconds(10)).until(() -> !refused(device));
    }

    @Test
    void everyDeviceOfADeletedUserIsLookedUpAgain() {
        DeviceIdentity phone = registeredDevice();
        DeviceIdentity laptop = register(newDevice(phone.userId(), UUID.randomUUID().toString()));
        establish(phone).close();
        establish(laptop).close();
        STUB.devices.remove(phone.deviceId());
        STUB.devices.remove(laptop.deviceId());

        publish(new AccountChange.UserDeleted(phone.userId(), List.of(phone.deviceId(), laptop.deviceId()),
                System.currentTimeMillis()));

        await().atMost(Duration.ofSeconds(10)).until(() -> refused(phone) && refused(laptop));
    }

    @Test
    void aDeviceNotFoundIsAskedForAgain() {
        DeviceIdentity device = newDevice();
        assertThat(refused(device)).isTrue();
        register(device);
        assertThat(refused(device)).isFalse();
        assertThat(lookupsOf(device)).isEqualTo(2);
    }

    @Test
    void anAnswerOnItsWayWhenTheDeviceIsForgottenIsNotKept() {
        DeviceIdentity device = registeredDevice();
        STUB.heldDevices.add(device.deviceId());
        STUB.holdDevices();
        Mono<DeviceLookup> inFlight = directory.lookup(device.deviceId()).cache();
        inFlight.subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> lookupsOf(device) == 1);

        directory.changed(new AccountChange.DeviceUnrevoked(device.userId(), device.deviceId(), System.currentTimeMillis()),
                OptionalLong.empty());
        STUB.releaseHeldDevices();

        assertThat(inFlight.block(Duration.ofSeconds(10))).isInstanceOf(DeviceLookup.Found.class);
        directory.lookup(device.deviceId()).block(Duration.ofSeconds(10));
        assertThat(lookupsOf(device)).isEqualTo(2);
    }

    @Test
    void lookupsMadeWhileCallsAreOutShareTheNextCall() {
        // As many held calls as may be out: every lookup after them waits for a place.
        List<DeviceIdentity> held = Stream.generate(GatewayIntegrationTest::registeredDevice)
                .limit(BatchedCalls.INTERNAL_CALLS_IN_FLIGHT).toList();
        List<DeviceIdentity> waiting = List.of(registeredDevice(), registeredDevice(), registeredDevice());
        held.forEach(device -> STUB.heldDevices.add(device.deviceId()));
        STUB.holdDevices();
        List<Mono<DeviceLookup>> answers = new ArrayList<>();
        for (DeviceIdentity device : held) {
            answers.add(directory.lookup(device.deviceId()).cache());
            answers.getLast().subscribe();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> held.stream().allMatch(d -> lookupsOf(d) == 1));
        for (DeviceIdentity device : waiting) {
            answers.add(directory.lookup(device.deviceId()).cache());
            answers.getLast().subscribe();
        }

        STUB.releaseHeldDevices();

        assertThat(answers).allSatisfy(answer -> assertThat(answer.block(Duration.ofSeconds(10)))
                .isInstanceOf(DeviceLookup.Found.class));
        assertThat(STUB.deviceLookupCalls).contains(waiting.stream().map(DeviceIdentity::deviceId).toList());
    }

    @Test
    void anAnswerKeptIsAsOldAsItsQuestion() {
        DeviceIdentity device = registeredDevice();
        long before = System.nanoTime();
        DeviceLookup.Found first = (DeviceLookup.Found) directory.lookup(device.deviceId()).block(Duration.ofSeconds(10));
        DeviceLookup.Found again = (DeviceLookup.Found) directory.lookup(device.deviceId()).block(Duration.ofSeconds(10));
        assertThat(first.askedAtNanos() - before).isNotNegative();
        assertThat(again.askedAtNanos()).isEqualTo(first.askedAtNanos());
    }

    private static DeviceCredentials credentials(DeviceIdentity device, boolean active) {
        return new DeviceCredentials(device.deviceId(), device.userId(), device.publicKeyBase64(), active);
    }

    private void publish(AccountChange change) {
        kafka.send(change.topic(), change.userId(), Json.write(change)).join();
    }
}
