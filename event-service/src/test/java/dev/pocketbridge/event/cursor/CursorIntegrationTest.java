package dev.pocketbridge.event.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

class CursorIntegrationTest extends EventServiceIntegrationTest {

    @Test
    void anUnknownDeviceOfANewUserHasZerosAndOldestOne() {
        assertThat(position(uuid(), uuid())).isEqualTo(new DevicePosition(0, 0, 0, 1));
    }

    @Test
    void thePositionReportsTheDeviceSeqTheHeadAndTheOldestSeq() {
        Sender a = Sender.create(0);
        Sender b = a.otherDevice();
        storeAll(a, List.of(a.event(3, "s"), a.event(8, "s"), b.event(1, "t")));

        assertThat(position(a.userId(), a.deviceId())).isEqualTo(new DevicePosition(8, 0, 3, 1));
        assertThat(position(a.userId(), b.deviceId())).isEqualTo(new DevicePosition(1, 0, 3, 1));
        assertThat(position(a.userId(), uuid())).isEqualTo(new DevicePosition(0, 0, 3, 1));
    }

    @Test
    void acksMoveTheCursorForwardOnlyAndNeverPastTheHead() {
        Sender a = Sender.create(0);
        Sender b = a.otherDevice();
        storeAll(a, List.of(a.event(1, "s"), a.event(2, "s"), a.event(3, "s")));

        sendAck(a.userId(), b.deviceId(), 2);
        await().atMost(WAIT).until(() -> position(a.userId(), b.deviceId()).lastAckedSeq() == 2);

        // An older ack never moves it back; one beyond the head stops at the head.
        sendAck(a.userId(), b.deviceId(), 1);
        sendAck(a.userId(), b.deviceId(), 99);
        await().atMost(WAIT).until(() -> position(a.userId(), b.deviceId()).lastAckedSeq() == 3);
        sendAck(a.userId(), b.deviceId(), 2);
        // A later ack of another device is the marker that the one before it was processed.
        sendAck(a.userId(), a.deviceId(), 1);
        await().atMost(WAIT).until(() -> position(a.userId(), a.deviceId()).lastAckedSeq() == 1);
        assertThat(position(a.userId(), b.deviceId())).isEqualTo(new DevicePosition(0, 3, 3, 1));
    }

    @Test
    void nonCanonicalIdsAreInvalidRequests() {
        assertThat(problemCode(get("/internal/v1/users/" + uuid().toUpperCase() + "/devices/" + uuid()
                + "/position"), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(get("/internal/v1/users/" + uuid() + "/devices/nope/position"), 400))
                .isEqualTo("invalid_request");
    }

    private DevicePosition position(String userId, String deviceId) {
        Response response = get("/internal/v1/users/" + userId + "/devices/" + deviceId + "/position");
        assertThat(response.status()).isEqualTo(200);
        return Json.read(response.raw().body(), DevicePosition.class);
    }
}
