package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.gateway.StubServices;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

class SessionIntegrationTest extends GatewayIntegrationTest {

    @Autowired
    NodeAdmission admission;

    @Test
    void anInvalidEventIsRejectedAtOnceAndTheSessionStaysOpen() {
        DeviceSession device = established();
        String eventId = UUID.randomUUID().toString();
        device.send(new ClientFrame.SendEvent(eventId, 1L, "bad stream!", "text", "AAAA", null, null));
        ServerFrame.EventRejected rejected = next(device, ServerFrame.EventRejected.class);
        assertThat(rejected.eventId()).isEqualTo(eventId);
        assertThat(rejected.code()).isEqualTo("invalid_event");

        // A field of the wrong JSON type: what can be salvaged names the event.
        device.sendText("{\"type\":\"event\",\"event_id\":\"" + eventId + "\",\"device_seq\":2,\"stream_id\":[1]}");
        ServerFrame.EventRejected salvaged = next(device, ServerFrame.EventRejected.class);
        assertThat(salvaged.code()).isEqualTo("invalid_event");
        assertThat(salvaged.eventId()).isEqualTo(eventId);
        assertThat(salvaged.deviceSeq()).isEqualTo(2L);

        device.sendText("not json at all");
        assertThat(((ServerFrame.Error) next(device)).code()).isEqualTo("protocol_error");
        assertThat(device.isClosed()).isFalse();
    }

    @Test
    void aValidEventIsProducedToEventsInboundKeyedByUserWithItsOrigin() {
        try (Consumer<String, String> consumer = consumerAtEnd(Topics.EVENTS_INBOUND)) {
            DeviceSession device = established();
            ServerFrame.SessionEstablished session = device.established();
            String eventId = UUID.randomUUID().toString();
            device.send(event(eventId, 1));

            ConsumerRecord<String, String> record = awaitRecord(consumer, r -> r.value().contains(eventId));
            assertThat(record.key()).isEqualTo(device.identity().userId());
            InboundEvent inbound = Json.read(record.value(), InboundEvent.class);
            assertThat(inbound.userId()).isEqualTo(device.identity().userId());
            assertThat(inbound.deviceId()).isEqualTo(device.identity().deviceId());
            assertThat(inbound.origin().nodeId()).isEqualTo(NODE_ID);
            assertThat(inbound.origin().sessionId()).isEqualTo(session.sessionId());
            assertThat(inbound.event().deviceSeq()).isEqualTo(1);
            assertThat(inbound.event().streamId()).isEqualTo("clip");
        }
    }

    @Test
    void anAckIsProducedToAcksKeyedByUser() {
        try (Consumer<String, String> consumer = consumerAtEnd(Topics.ACKS)) {
            DeviceSession device = established();
            device.sendFrame(new ClientFrame.Ack(42L));
            String userId = device.identity().userId();
            ConsumerRecord<String, String> record = awaitRecord(consumer, r -> r.key().equals(userId));
            DeviceAck ack = Json.read(record.value(), DeviceAck.class);
            assertThat(ack.deviceId()).isEqualTo(device.identity().deviceId());
            assertThat(ack.seq()).isEqualTo(42);
        }
    }

    @Test
    void anEventAckDeliveredToThisNodeReachesTheSenderAndFreesItsSlot() {
        DeviceSession device = established();
        ServerFrame.SessionEstablished session = device.established();
        awaitDeliveriesAssigned();
        int max = 100;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= max; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            device.send(event(id, i));
        }
        device.send(event(UUID.randomUUID().toString(), max + 1));
        ServerFrame.EventRejected full = next(device, ServerFrame.EventRejected.class);
        assertThat(full.code()).isEqualTo("backpressure");
        assertThat(full.retryAfterMs()).isPositive();

        deliver(new Delivery.Outcome(NODE_ID, device.identity().userId(), session.sessionId(),
                new ServerFrame.EventAck(ids.getFirst(), 1, 1, 1, ServerFrame.EventAck.STORED, false)));
        ServerFrame.EventAck ack = next(device, ServerFrame.EventAck.class);
        assertThat(ack.eventId()).isEqualTo(ids.getFirst());

        String next = UUID.randomUUID().toString();
        device.send(event(next, max + 2));
        // The freed slot takes the event: no backpressure this time, and nothing else arrives.
        assertThat(device.next(Duration.ofMillis(500))).isNull();
    }

    @Test
    void aNodeAtItsAdmissionLimitShedsNewEventsAtOnceAndAdmitsAgainAsOutcomesArrive() {
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.inflight() == 0);
        DeviceSession a = established();
        ServerFrame.SessionEstablished sessionA = a.established();
        DeviceSession b = established();
        awaitDeliveriesAssigned();
        List<String> idsOfA = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            String id = UUID.randomUUID().toString();
            idsOfA.add(id);
            a.send(event(id, i));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> admission.inflight() == 100);
        for (int i = 1; i <= 100; i++) {
            b.send(event(UUID.randomUUID().toString(), i));
        }

        // The node takes 150: b's first 50 are admitted, the other 50 are shed at once, none waits.
        for (int i = 0; i < 100 - (MAX_NODE_INFLIGHT - 100); i++) {
            ServerFrame.EventRejected shed = next(b, ServerFrame.EventRejected.class);
            assertThat(shed.code()).isEqualTo("backpressure");
            assertThat(shed.message()).contains("capacity");
            assertThat(shed.retryAfterMs()).isPositive();
        }
        assertThat(admission.inflight()).isEqualTo(MAX_NODE_INFLIGHT);

        // Outcomes free the node's slots: the next event of b is admitted (no rejection comes).
        deliver(new Delivery.Outcome(NODE_ID, a.identity().userId(), sessionA.sessionId(),
                new ServerFrame.EventAck(idsOfA.getFirst(), 1, 1, 1, ServerFrame.EventAck.STORED, false)));
        assertThat(next(a, ServerFrame.EventAck.class).eventId()).isEqualTo(idsOfA.getFirst());
        b.send(event(UUID.randomUUID().toString(), 101));
        assertThat(b.next(Duration.ofMillis(500))).isNull();
        assertThat(admission.inflight()).isEqualTo(MAX_NODE_INFLIGHT);

        // A closed session gives its slots back.
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> admission.inflight() == 51);
    }

    @Test
    void acksAreCoalescedToTheNewestPerFlushInterval() {
        try (Consumer<String, String> consumer = consumerAtEnd(Topics.ACKS)) {
            DeviceSession device = established();
            for (long seq = 1; seq <= 20; seq++) {
                device.sendFrame(new ClientFrame.Ack(seq));
            }
            device.sendFrame(new ClientFrame.Ack(7L)); // older than what was acked: never moves the cursor back
            List<Long> written = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.key().equals(device.identity().userId())) {
                        written.add(Json.read(r.value(), DeviceAck.class).seq());
                    }
                });
                return written.contains(20L);
            });
            // Give a further (wrong) write the time to show up: a few flush intervals.
            long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.key().equals(device.identity().userId())) {
                        written.add(Json.read(r.value(), DeviceAck.class).seq());
                    }
                });
            }
            // 21 frames within one or two flush intervals: one or two writes, the newest last.
            assertThat(written).hasSizeBetween(1, 2).isSorted().endsWith(20L);
        }
    }

    @Test
    void liveDeliveriesReachTheDevicesSessionsInIncreasingSeqOnly() {
        DeviceSession device = established();
        String userId = device.identity().userId();
        List<String> deviceIds = List.of(device.identity().deviceId());
        awaitDeliveriesAssigned();
        deliver(new Delivery.LiveEvent(NODE_ID, userId, deviceIds, delivered(5)));
        assertThat(next(device, ServerFrame.DeliveredEvent.class).seq()).isEqualTo(5);
        deliver(new Delivery.LiveEvent(NODE_ID, userId, deviceIds, delivered(5)));
        deliver(new Delivery.LiveEvent(NODE_ID, userId, deviceIds, delivered(4)));
        // Another user's delivery naming this device id never reaches it.
        deliver(new Delivery.LiveEvent(NODE_ID, UUID.randomUUID().toString(), deviceIds, delivered(9)));
        deliver(new Delivery.LiveEvent(NODE_ID, userId, deviceIds, delivered(6)));
        assertThat(next(device, ServerFrame.DeliveredEvent.class).seq()).isEqualTo(6);
    }

    @Test
    void anEventWithoutOutcomeInTimeIsRejectedAsUnavailable() {
        DeviceSession device = established();
        String eventId = UUID.randomUUID().toString();
        device.send(event(eventId, 1));
        ServerFrame.EventRejected rejected = next(device, ServerFrame.EventRejected.class);
        assertThat(rejected.eventId()).isEqualTo(eventId);
        assertThat(rejected.code()).isEqualTo("unavailable");
        assertThat(rejected.retryAfterMs()).isPositive();
    }

    @Test
    void aReplayRequestIsAnsweredFromEventService() {
        DeviceSession device = established();
        device.sendFrame(new ClientFrame.ReplayRequest("r1", 4L, 50, null));
        ServerFrame.ReplayResponse response = next(device, ServerFrame.ReplayResponse.class);
        assertThat(response.requestId()).isEqualTo("r1");
        assertThat(response.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(5L);
        assertThat(response.throughSeq()).isEqualTo(5);
        assertThat(STUB.replayQueries).anySatisfy(q -> assertThat(q)
                .startsWith(device.identity().userId() + "?")
                .contains("device_id=" + device.identity().deviceId(), "limit=50", "after_seq=4"));
    }

    @Test
    void aReplayLimitOutOfRangeIsAnInvalidRequestAndTheSessionStaysOpen() {
        DeviceSession device = established();
        device.sendFrame(new ClientFrame.ReplayRequest("r2", null, 1001, null));
        assertThat(next(device, ServerFrame.Error.class).code()).isEqualTo("invalid_request");
        device.sendFrame(new ClientFrame.ReplayRequest("r3", null, StubServices.REFUSED_LIMIT, "tampered"));
        ServerFrame.Error refused = next(device, ServerFrame.Error.class);
        assertThat(refused.code()).isEqualTo("invalid_request");
        assertThat(refused.message()).contains("continuation_token");
        assertThat(device.isClosed()).isFalse();
    }

    @Test
    void theNextPageIsAskedForAsSoonAsAPageWithAContinuationIsSentAndAnswersTheDevicesRequestForIt() {
        DeviceSession device = established();
        String next = "continuation_token=" + StubServices.NEXT_PAGE_TOKEN;
        device.sendFrame(new ClientFrame.ReplayRequest("p1", 4L, StubServices.PAGED_LIMIT, null));
        ServerFrame.ReplayResponse first = next(device, ServerFrame.ReplayResponse.class);
        assertThat(first.continuationToken()).isEqualTo(StubServices.NEXT_PAGE_TOKEN);
        await().atMost(WAIT).untilAsserted(() -> assertThat(queriesFor(device, next)).hasSize(1));

        device.sendFrame(new ClientFrame.ReplayRequest("p2", null, StubServices.PAGED_LIMIT, StubServices.NEXT_PAGE_TOKEN));
        ServerFrame.ReplayResponse second = next(device, ServerFrame.ReplayResponse.class);
        assertThat(second.requestId()).isEqualTo("p2");
        assertThat(second.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(6L);
        assertThat(queriesFor(device, next)).as("answered from the page asked for ahead").hasSize(1);

        // A request for another page (here: another limit) is not answered from the page ahead.
        device.sendFrame(new ClientFrame.ReplayRequest("p3", 4L, StubServices.PAGED_LIMIT, null));
        next(device, ServerFrame.ReplayResponse.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(queriesFor(device, next)).hasSize(2));
        device.sendFrame(new ClientFrame.ReplayRequest("p4", null, 50, StubServices.NEXT_PAGE_TOKEN));
        assertThat(next(device, ServerFrame.ReplayResponse.class).requestId()).isEqualTo("p4");
        assertThat(queriesFor(device, next)).hasSize(3).last().asString().contains("limit=50");
    }

    @Test
    void aReplayAskedForInCborIsAnsweredInCborAndSoIsThePageAskedForAhead() {
        DeviceSession device = established();
        String next = "continuation_token=" + StubServices.NEXT_PAGE_TOKEN;
        device.sendFrame(cbor("c1", 4L, null));
        // the device-client reads a binary message as CBOR, and a CBOR page sent as text would not decode
        ServerFrame.ReplayResponse first = next(device, ServerFrame.ReplayResponse.class);
        assertThat(first.requestId()).isEqualTo("c1");
        assertThat(first.events()).extracting(ServerFrame.DeliveredEvent::seq, ServerFrame.DeliveredEvent::encryptedPayload)
                .containsExactly(tuple(5L, "AAAA"));
        assertThat(first.continuationToken()).isEqualTo(StubServices.NEXT_PAGE_TOKEN);
        await().atMost(WAIT).untilAsserted(() -> assertThat(queriesFor(device, next)).hasSize(1));

        // The next page in JSON is not answered from the CBOR page asked for ahead.
        device.sendFrame(new ClientFrame.ReplayRequest("j1", null, StubServices.PAGED_LIMIT, StubServices.NEXT_PAGE_TOKEN,
                ClientFrame.ReplayRequest.JSON));
        assertThat(next(device, ServerFrame.ReplayResponse.class).requestId()).isEqualTo("j1");
        assertThat(queriesFor(device, next)).hasSize(2).last().asString().endsWith(" accept=application/json");

        // In CBOR it is.
        device.sendFrame(cbor("c2", 4L, null));
        next(device, ServerFrame.ReplayResponse.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(queriesFor(device, next)).hasSize(3));
        device.sendFrame(cbor("c3", null, StubServices.NEXT_PAGE_TOKEN));
        ServerFrame.ReplayResponse second = next(device, ServerFrame.ReplayResponse.class);
        assertThat(second.requestId()).isEqualTo("c3");
        assertThat(second.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(6L);
        assertThat(queriesFor(device, next)).as("answered from the page asked for ahead").hasSize(3);
        assertThat(queriesFor(device, "")).filteredOn(q -> !q.contains("accept=application/json")).hasSize(4)
                .allSatisfy(q -> assertThat(q).endsWith(" accept=" + Cbor.MEDIA_TYPE));
    }

    private static ClientFrame.ReplayRequest cbor(String requestId, Long afterSeq, String continuationToken) {
        return new ClientFrame.ReplayRequest(requestId, afterSeq, StubServices.PAGED_LIMIT, continuationToken,
                ClientFrame.ReplayRequest.CBOR);
    }

    @Test
    void aReplayInAnUnknownEncodingIsAnInvalidRequestAndTheSessionStaysOpen() {
        DeviceSession device = established();
        device.sendFrame(new ClientFrame.ReplayRequest("x1", 4L, 50, null, "xml"));
        ServerFrame.Error error = next(device, ServerFrame.Error.class);
        assertThat(error.code()).isEqualTo("invalid_request");
        assertThat(error.message()).contains("encoding");
        assertThat(queriesFor(device, "")).isEmpty();
        device.sendFrame(new ClientFrame.ReplayRequest("x2", 4L, 50, null));
        assertThat(next(device, ServerFrame.ReplayResponse.class).requestId()).isEqualTo("x2");
    }

    private static List<String> queriesFor(DeviceSession device, String part) {
        return STUB.replayQueries.stream()
                .filter(q -> q.startsWith(device.identity().userId() + "?") && q.contains(part))
                .toList();
    }

    @Test
    void aReplayAnswerThatIsNoPageIsUnavailableAndTheSessionStaysOpen() {
        DeviceSession device = established();
        device.sendFrame(new ClientFrame.ReplayRequest("r4", null, StubServices.MALFORMED_LIMIT, null));
        assertThat(next(device, ServerFrame.Error.class).code()).isEqualTo("unavailable");
        device.sendFrame(new ClientFrame.ReplayRequest("r5", 4L, 50, null));
        assertThat(next(device, ServerFrame.ReplayResponse.class).requestId()).isEqualTo("r5");
    }

    @Test
    void aFrameAboveMaxFrameBytesCloses1009() {
        // One single text frame (the JDK client would split a large message into fragments).
        String big = "{\"type\":\"client_hello\",\"pad\":\"" + "A".repeat(MAX_FRAME_BYTES + 1024) + "\"}";
        Integer code = HttpClient.create()
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(4 * MAX_FRAME_BYTES).build())
                .uri("ws://localhost:" + port + "/ws")
                .handle((in, out) -> out.sendObject(Mono.just(new TextWebSocketFrame(big))).then()
                        .thenMany(in.receiveCloseStatus().map(WebSocketCloseStatus::code)))
                .next()
                .block(Duration.ofSeconds(10));
        assertThat(code).isEqualTo(CloseCodes.TOO_BIG);
    }

    @Test
    void aFragmentedMessageAboveMaxFrameBytesCloses1009() {
        DeviceSession device = established();
        // The JDK client sends a message this large as several fragments.
        device.sendText("{\"type\":\"event\",\"encrypted_payload\":\"" + "A".repeat(MAX_FRAME_BYTES + 1024) + "\"}");
        assertThat(closeCode(device)).isEqualTo(CloseCodes.TOO_BIG);
    }

    @Test
    void aSessionWhoseClientAnswersPingsStaysOpenBeyondTheIdleTimeout() {
        DeviceSession device = established();
        // Pings every 500 ms, idle timeout 2 s (test configuration): only the pongs keep it open.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> !device.isClosed());
    }

    @Test
    void aClientHelloAfterEstablishmentIsAProtocolErrorAndCloses1008() {
        DeviceSession device = established();
        device.sendFrame(new ClientFrame.ClientHello(1, device.identity().userId(), device.identity().deviceId(),
                Base64Url.encode(new byte[32])));
        assertThat(next(device, ServerFrame.Error.class).code()).isEqualTo("protocol_error");
        assertThat(closeCode(device)).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }

    private DeviceSession established() {
        return establish(registeredDevice());
    }

    private static ServerFrame.DeliveredEvent delivered(long seq) {
        return new ServerFrame.DeliveredEvent(seq, UUID.randomUUID().toString(), UUID.randomUUID().toString(), seq,
                "clip", seq, "text", "AAAA", null, 1_700_000_000_000L, false);
    }
}
