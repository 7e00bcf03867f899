package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.gateway.RawWebSocket;
import dev.pocketbridge.gateway.StubServices;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Nothing one client sends can hurt the others (issue 6, the WebSocket edge): each case is refused
 * with the code PROTOCOL.md names, and another user's event round trip works during and after it.
 */
class WebSocketLimitsIntegrationTest extends GatewayIntegrationTest {

    /** The default {@code pre-handshake-frame-bytes}. */
    private static final int PRE_HANDSHAKE_MAX = 16 * 1024;
    private static final int TEN_MIB = 10 * 1024 * 1024;

    @Autowired
    OutboundLedger ledger;

    @Autowired
    MeterRegistry meters;

    private Consumer<String, String> inbound;
    private final List<RawWebSocket> raws = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void openInbound() {
        inbound = consumerAtEnd(Topics.EVENTS_INBOUND);
        awaitDeliveriesAssigned();
    }

    @AfterEach
    void closeAll() {
        raws.forEach(RawWebSocket::close);
        threads.shutdownNow();
        inbound.close();
    }

    @Test
    void aPreHandshakeMessageAbove16KiBCloses1009FromItsHeaderWithoutItsPayloadBeingRead() {
        double refused = framesTooBig();

        // The header announces 10 MiB and only a few bytes follow: the gateway, which would have to
        // wait for the rest to read the frame whole, answers at once from the header.
        RawWebSocket announced = raw();
        announced.sendHeader(RawWebSocket.OPCODE_TEXT, true, TEN_MIB);
        announced.sendRaw("[{},{},{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(announced.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);

        RawWebSocket oneByteOver = raw();
        oneByteOver.sendHeader(RawWebSocket.OPCODE_TEXT, true, PRE_HANDSHAKE_MAX + 1);
        assertThat(oneByteOver.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);

        // Fragments count as one message: 8 + 8 KiB are at the limit, the third fragment's header passes it.
        RawWebSocket fragmented = raw();
        byte[] eight = new byte[8 * 1024];
        Arrays.fill(eight, (byte) ' ');
        fragmented.sendFrame(RawWebSocket.OPCODE_TEXT, false, eight);
        fragmented.sendFrame(RawWebSocket.OPCODE_CONTINUATION, false, eight);
        fragmented.sendHeader(RawWebSocket.OPCODE_CONTINUATION, true, 1);
        assertThat(fragmented.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);

        // A message at the limit is read, and parsed within the parsing limits: [{},{},…] is not a
        // client_hello, so it is a protocol error.
        RawWebSocket atTheLimit = raw();
        atTheLimit.sendText(emptyObjects(PRE_HANDSHAKE_MAX));
        ServerFrame.Error error = (ServerFrame.Error) atTheLimit.next();
        assertThat(error.code()).isEqualTo("protocol_error");
        assertThat(atTheLimit.awaitCloseCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);

        assertThat(framesTooBig() - refused).isEqualTo(3);
        assertEventRoundTrip(inbound);
    }

    @Test
    void eightClientsSendingA10MiBFrameOfEmptyObjectsFirstAreClosed1009AndEveryoneElseKeepsWorking() {
        // The reported attack: each frame whole, as its client's first frame.
        byte[] frame = emptyObjects(TEN_MIB).getBytes(StandardCharsets.US_ASCII);
        List<CompletableFuture<Integer>> codes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RawWebSocket attacker = raw();
            codes.add(CompletableFuture.supplyAsync(() -> {
                threads.execute(() -> sendIgnoringClose(attacker, () -> {
                    attacker.sendHeader(RawWebSocket.OPCODE_TEXT, true, frame.length);
                    attacker.sendRaw(frame);
                }));
                return attacker.awaitCloseCode();
            }, threads));
        }
        assertEventRoundTrip(inbound);
        assertThat(codes).allSatisfy(code -> assertThat(code.join()).isEqualTo(CloseCodes.TOO_BIG));
        assertEventRoundTrip(inbound);
    }

    @Test
    void afterTheHandshakeAMessageAboveMaxFrameBytesCloses1009WithACloseFrame() {
        // Above 16 KiB is fine once established: answered, not closed.
        RawWebSocket big = raw();
        big.handshake(registeredDevice());
        big.sendText("{\"type\":\"ack\",\"seq\":-1,\"pad\":\"" + "A".repeat(2 * PRE_HANDSHAKE_MAX) + "\"}");
        assertThat(((ServerFrame.Error) big.next()).code()).isEqualTo("invalid_request");

        // A single frame above max-frame-bytes, sent whole while the gateway answers: the client,
        // still sending, gets the close frame (1009), not a reset (1006).
        byte[] frame = new byte[4 * MAX_FRAME_BYTES];
        Arrays.fill(frame, (byte) 'A');
        threads.execute(() -> sendIgnoringClose(big, () -> {
            big.sendHeader(RawWebSocket.OPCODE_TEXT, true, frame.length);
            big.sendRaw(frame);
        }));
        assertThat(big.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);

        // Refused from the header too: one byte over, nothing of the payload sent.
        RawWebSocket announced = raw();
        announced.handshake(registeredDevice());
        announced.sendHeader(RawWebSocket.OPCODE_TEXT, true, MAX_FRAME_BYTES + 1);
        assertThat(announced.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);

        assertEventRoundTrip(inbound);
    }

    @Test
    void aHandshakeBurstFromOneAddressIsClosed4029WhileOtherAddressesConnect() {
        var address = randomLoopback();
        // Whole handshakes: the gateway counts a connection after its upgrade answer, so a client
        // that only waited for that answer could open the next before this one was counted.
        for (int i = 0; i < HANDSHAKES_PER_ADDRESS; i++) {
            establish(registeredDevice(), address);
        }
        DeviceSession refused = open(address);
        ServerFrame.Error error = next(refused, ServerFrame.Error.class);
        assertThat(error.code()).isEqualTo("rate_limited");
        assertThat(closeCode(refused)).isEqualTo(CloseCodes.TOO_MANY_HANDSHAKES);

        assertEventRoundTrip(inbound); // from an address of its own, during the burst's window
        DeviceSession again = open(address);
        assertThat(closeCode(again)).isEqualTo(CloseCodes.TOO_MANY_HANDSHAKES);
        assertEventRoundTrip(inbound);
    }

    @Test
    void behindATrustedProxyTheHandshakeLimitCountsTheClientItForwards() {
        // The session keeps the upgrade request's headers as Netty holds them (ChannelUpgradeStrategy):
        // its X-Forwarded-For must still name the client the limit counts.
        String client = "198.51.100.201"; // no other test's handshakes come from it
        for (int i = 0; i < HANDSHAKES_PER_ADDRESS; i++) {
            // Handshaken, so each is counted before the next connects (see the test above).
            RawWebSocket admitted = RawWebSocket.connectForwarded(port, client);
            raws.add(admitted);
            admitted.handshake(registeredDevice());
        }
        RawWebSocket refused = RawWebSocket.connectForwarded(port, client);
        raws.add(refused);
        assertThat(refused.awaitCloseCode()).isEqualTo(CloseCodes.TOO_MANY_HANDSHAKES);

        RawWebSocket otherClient = RawWebSocket.connectForwarded(port, "203.0.113.201");
        raws.add(otherClient);
        assertThat(otherClient.handshake(registeredDevice()).sessionId()).isNotBlank();
    }

    @Test
    void aDevicesEventBurstIsRejectedRateLimitedWithRetryAfter() {
        // Before: also warms the producer, so the burst below does not wait behind its first
        // metadata fetch for longer than the test's 2 s idle timeout.
        assertEventRoundTrip(inbound);
        DeviceSession device = establish(registeredDevice());
        for (int i = 1; i <= EVENTS_PER_DEVICE + 10; i++) {
            device.send(event(UUID.randomUUID().toString(), i));
        }
        // The first 100 await their outcome, the next are backpressure, and past the device's
        // budget they are rate_limited.
        ServerFrame.EventRejected limited;
        do {
            limited = next(device, ServerFrame.EventRejected.class);
        } while (!limited.code().equals("rate_limited"));
        assertThat(limited.retryAfterMs()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());
        assertThat(device.isClosed()).isFalse();

        assertEventRoundTrip(inbound); // another user's events are not counted against this device
    }

    @Test
    void aSecondReplayWhileOneIsInFlightIsRateLimitedAndTheNextAfterItsAnswerIsServed() {
        DeviceIdentity identity = registeredDevice();
        DeviceSession device = establish(identity);
        STUB.holdReplays();
        try {
            device.sendFrame(new ClientFrame.ReplayRequest("first", null, StubServices.HELD_LIMIT, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> STUB.replayQueries.stream()
                    .anyMatch(q -> q.startsWith(identity.userId() + "?") && q.contains("limit=" + StubServices.HELD_LIMIT)));
            device.sendFrame(new ClientFrame.ReplayRequest("second", null, 10, null));
            ServerFrame.Error refused = next(device, ServerFrame.Error.class);
            assertThat(refused.code()).isEqualTo("rate_limited");
            assertThat(device.isClosed()).isFalse();
            assertEventRoundTrip(inbound);
        } finally {
            STUB.releaseHeldReplays();
        }
        assertThat(next(device, ServerFrame.ReplayResponse.class).requestId()).isEqualTo("first");
        device.sendFrame(new ClientFrame.ReplayRequest("third", null, 10, null));
        assertThat(next(device, ServerFrame.ReplayResponse.class).requestId()).isEqualTo("third");
        assertEventRoundTrip(inbound);
    }

    @Test
    void aSessionThatNeverReadsHoldsAtMostItsOutboundBytesAndIsClosedWhenAReplyDoesNotFit() {
        DeviceIdentity device = registeredDevice();
        RawWebSocket reader = neverReading(device);
        double dropped = dropped();

        flood(device.userId(), List.of(device.deviceId()), 200);
        // Live deliveries that do not fit are dropped: the bound was met, and held.
        await().atMost(Duration.ofSeconds(30)).until(() -> dropped() > dropped);
        assertThat(ledger.queuedBytes()).isBetween(1L, (long) OUTBOUND_BUFFER_BYTES);
        assertEventRoundTrip(inbound);

        // A reply (an event_rejected echoing a long event_id) does not fit: the session is closed
        // (1013), and although its client reads nothing, not even the close frame, the connection
        // is dropped within close-timeout and its bytes leave the account.
        String longId = "x".repeat(MAX_FRAME_BYTES - 1024);
        reader.sendText("{\"type\":\"event\",\"event_id\":\"" + longId + "\",\"device_seq\":1,\"stream_id\":\"s\","
                + "\"event_type\":\"t\",\"encrypted_payload\":\"AA\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.queuedBytes() == 0);
        assertThat(reader.awaitEndOfStream()).isTrue();
        assertEventRoundTrip(inbound);
    }

    @Test
    void aHundredMaximalPreHandshakeFramesAndTenSessionsThatNeverReadLeaveTheGatewayWorkingAndItsBytesBounded() {
        String userId = UUID.randomUUID().toString();
        List<DeviceIdentity> devices = new ArrayList<>();
        List<RawWebSocket> readers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            DeviceIdentity device = register(newDevice(userId, UUID.randomUUID().toString()));
            devices.add(device);
            readers.add(neverReading(device));
        }
        double dropped = dropped();
        String frame = emptyObjects(PRE_HANDSHAKE_MAX);
        List<CompletableFuture<Integer>> codes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            codes.add(CompletableFuture.supplyAsync(() -> {
                RawWebSocket client = raw();
                client.sendText(frame);
                return client.awaitCloseCode();
            }, threads));
        }
        long bound = 10L * OUTBOUND_BUFFER_BYTES;
        flood(userId, devices.stream().map(DeviceIdentity::deviceId).toList(), 200);
        assertThat(ledger.queuedBytes()).isLessThanOrEqualTo(bound);
        assertEventRoundTrip(inbound);
        await().atMost(Duration.ofSeconds(30)).until(() -> dropped() > dropped);
        assertThat(ledger.queuedBytes()).isLessThanOrEqualTo(bound);

        assertThat(codes).allSatisfy(code -> assertThat(code.join()).isEqualTo(CloseCodes.POLICY_VIOLATION));
        assertThat(ledger.queuedBytes()).isLessThanOrEqualTo(bound);
        assertEventRoundTrip(inbound);

        readers.forEach(RawWebSocket::close);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.queuedBytes() == 0);
        assertEventRoundTrip(inbound);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A raw socket, for frames a WebSocket client library will not send. */
    private RawWebSocket raw() {
        RawWebSocket ws = RawWebSocket.connect(port);
        raws.add(ws);
        return ws;
    }

    /** An established session whose client reads nothing more (a small receive window), but stays alive. */
    private RawWebSocket neverReading(DeviceIdentity device) {
        RawWebSocket ws = RawWebSocket.connect(port, randomLoopback(), 4096);
        raws.add(ws);
        ws.handshake(device);
        ws.startHeartbeat(Duration.ofMillis(300));
        return ws;
    }

    /** {@code count} live events of about 40 KiB each to the user's devices on this node. */
    private void flood(String userId, List<String> deviceIds, int count) {
        String payload = Base64Url.encode(new byte[40 * 1024]);
        for (long seq = 1; seq <= count; seq++) {
            deliver(new Delivery.LiveEvent(NODE_ID, userId, deviceIds, new ServerFrame.DeliveredEvent(seq,
                    UUID.randomUUID().toString(), UUID.randomUUID().toString(), seq, "clip", seq, "text", payload,
                    null, 1_700_000_000_000L, false)));
        }
    }

    /** Runs a large send that the gateway may cut short by closing (which is what the test wants). */
    private static void sendIgnoringClose(RawWebSocket ws, Runnable send) {
        try {
            send.run();
        } catch (UncheckedIOException e) {
            // the gateway closed while the frame was still going out
        }
    }

    /** {@code [{},{},…]} of exactly {@code bytes} bytes (the shape of the reported attack). */
    private static String emptyObjects(int bytes) {
        int objects = (bytes - 4) / 3;
        StringBuilder json = new StringBuilder(bytes).append('[');
        json.append("{},".repeat(objects)).append("{}");
        json.append(" ".repeat(bytes - json.length() - 1)).append(']');
        return json.toString();
    }

    private double framesTooBig() {
        return meters.get(GatewayMetrics.FRAMES_TOO_BIG).counter().count();
    }

    private double dropped() {
        return meters.get(GatewayMetrics.DELIVERIES_DROPPED).tag("reason", GatewayMetrics.Drop.BUFFER_FULL.tag()).counter()
                .count();
    }
}
