package dev.pocketbridge.event.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.internal.DevicePositions;
import dev.pocketbridge.common.internal.InternalApi;
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
    void oneCallAnswersEveryDeviceAskedInItsOrder() {
        Sender a = Sender.create(0);
        Sender b = a.otherDevice();
        Sender c = Sender.create(0);
        storeAll(a, List.of(a.event(4, "s"), b.event(2, "t")));
        storeAll(c, List.of(c.event(9, "u")));
        String stranger = uuid();
        List<DevicePositions.UserDevice> asked = List.of(device(c), device(a),
                new DevicePositions.UserDevice(a.userId(), stranger), device(b), device(a));

        Response response = post(InternalApi.DEVICE_POSITIONS, new DevicePositions.Query(asked), service());

        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(Json.read(response.raw().body(), DevicePositions.Answer.class).positions()).containsExactly(
                new DevicePosition(9, 0, 1, 1), new DevicePosition(4, 0, 2, 1), new DevicePosition(0, 0, 2, 1),
                new DevicePosition(2, 0, 2, 1), new DevicePosition(4, 0, 2, 1));
    }

    @Test
    void theLargestBatchFitsTheRequestBodyLimit() {
        List<DevicePositions.UserDevice> asked = IntStream.range(0, InternalApi.MAX_BATCH)
                .mapToObj(i -> new DevicePositions.UserDevice(uuid(), uuid())).toList();

        Response response = post(InternalApi.DEVICE_POSITIONS, new DevicePositions.Query(asked), service());

        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(Json.read(response.raw().body(), DevicePositions.Answer.class).positions())
                .hasSize(InternalApi.MAX_BATCH).containsOnly(new DevicePosition(0, 0, 0, 1));
    }

    @Test
    void aMalformedBatchIsAnInvalidRequest() {
        List<DevicePositions.UserDevice> tooMany = IntStream.rangeClosed(0, InternalApi.MAX_BATCH)
                .mapToObj(i -> new DevicePositions.UserDevice(uuid(), uuid())).toList();
        List<DevicePositions.UserDevice> withNull = new ArrayList<>();
        withNull.add(null);
        for (DevicePositions.Query query : List.of(new DevicePositions.Query(List.of()), new DevicePositions.Query(null),
                new DevicePositions.Query(tooMany), new DevicePositions.Query(withNull),
                positionsQuery(uuid().toUpperCase(), uuid()), positionsQuery(uuid(), "nope"),
                positionsQuery(null, uuid()))) {
            assertThat(problemCode(post(InternalApi.DEVICE_POSITIONS, query, service()), 400)).as(Json.write(query))
                    .isEqualTo("invalid_request");
        }
    }

    private static DevicePositions.UserDevice device(Sender s) {
        return new DevicePositions.UserDevice(s.userId(), s.deviceId());
    }

    private static String[] service() {
        return new String[] {"Authorization", "Bearer " + AUTH.serviceToken()};
    }
}
