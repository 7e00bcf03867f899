package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;

/** The session through the real JDK WebSocket against {@link FakeGateway}. */
class DeviceSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final DeviceIdentity identity = DeviceIdentity.of("0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b",
            "0190f5a2-7c3e-7b1a-9f00-6e5d4c3b2a19", DeviceIdentity.newKeyPair(), "laptop", "desktop");
    private FakeGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway(identity.publicKey());
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void handshakesWithAFragmentedServerHelloThenSendsAcksAndReplays() {
        try (DeviceSession session = DeviceSession.connect(gateway.uri(), identity, gateway.serverKey.publicKey(),
                TIMEOUT)) {
            assertThat(session.sessionId()).isEqualTo(FakeGateway.SESSION_ID);
            assertThat(session.established().lastDeviceSeq()).isEqualTo(5);
            assertThat(gateway.received.get(0).get("protocol_version").asInt()).isEqualTo(1);
            assertThat(Base64Url.decodeExact(gateway.received.get(0).get("nonce_c").asString(), 32)).isPresent();

            ClientFrame.SendEvent event = session.newEvent("notes", "text", new byte[] {1, 2, 3});
            assertThat(event.deviceSeq()).isEqualTo(6);
            ServerFrame outcome = session.sendAndAwait(event, TIMEOUT);
            assertThat(outcome).isInstanceOfSatisfying(ServerFrame.EventAck.class,
                    ack -> assertThat(ack.eventId()).isEqualTo(event.eventId()));
            // the delivery that arrived before the ack is still there
            assertThat(session.next(TIMEOUT)).isEqualTo(FakeGateway.delivered(9));

            List<ServerFrame.DeliveredEvent> replayed = session.replayAll(null);
            assertThat(replayed).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(gateway.received.stream().filter(f -> f.get("type").asString().equals("replay_request"))
                    .map(f -> f.has("continuation_token") ? f.get("continuation_token").asString() : "-"))
                    .containsExactly("-", "page-2");
        }
    }

    @Test
    void replaysPageByPageAndStopsWhenTheHandlerSaysSo() {
        try (DeviceSession session = DeviceSession.connect(gateway.uri(), identity, null, TIMEOUT)) {
            List<List<Long>> pages = new ArrayList<>();
            session.replayPages(0L, 2, TIMEOUT, page -> pages.add(page.events().stream().map(e -> e.seq()).toList()));
            assertThat(pages).containsExactly(List.of(1L, 2L), List.of(3L));

            pages.clear();
            session.replayPages(0L, 2, TIMEOUT, page -> !pages.add(page.events().stream().map(e -> e.seq()).toList()));
            assertThat(pages).as("the next page is not asked for").containsExactly(List.of(1L, 2L));
            assertThat(gateway.received.stream().filter(f -> f.get("type").asString().equals("replay_request"))
                    .map(f -> f.get("limit").asInt() + (f.has("continuation_token") ? " " + f.get("continuation_token").asString() : "")))
                    .containsExactly("2", "2 page-2", "2");
        }
    }

    @Test
    void replayPagesAreAskedForInCborAndAServerThatAnswersInJsonIsReadAlike() {
        try (DeviceSession session = DeviceSession.connect(gateway.uri(), identity, null, TIMEOUT)) {
            List<ServerFrame.DeliveredEvent> fromCbor = session.replayAll(0L); // binary messages, each in two fragments
            gateway.replaysInJsonOnly = true;
            List<ServerFrame.DeliveredEvent> fromJson = session.replayAll(0L);

            assertThat(fromCbor).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(fromCbor).isEqualTo(fromJson).isEqualTo(List.of(FakeGateway.delivered(1), FakeGateway.delivered(2),
                    FakeGateway.delivered(3)));
            assertThat(gateway.received.stream().filter(f -> f.get("type").asString().equals("replay_request")))
                    .hasSize(4).allSatisfy(f -> assertThat(f.get("encoding").asString()).isEqualTo("cbor"));
        }
    }

    @Test
    void handsFramesToAHandlerInArrivalOrderThenToTheInboxAgain() throws Exception {
        try (DeviceSession session = DeviceSession.connect(gateway.uri(), identity, null, TIMEOUT)) {
            session.sendAndAwait(session.newEvent("notes", "text", new byte[] {1}), TIMEOUT); // its delivery stays
            BlockingQueue<ServerFrame> handled = new LinkedBlockingQueue<>();
            session.handleFrames(handled::add);
            assertThat(handled.poll(10, TimeUnit.SECONDS)).as("the inbox's frame first").isEqualTo(FakeGateway.delivered(9));

            ClientFrame.SendEvent second = session.newEvent("notes", "text", new byte[] {2});
            session.send(second);
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo(FakeGateway.delivered(9));
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ServerFrame.EventAck.class,
                    ack -> assertThat(ack.eventId()).isEqualTo(second.eventId()));
            assertThat(session.drain()).as("nothing went to the inbox").isEmpty();

            session.handleFrames(null);
            ClientFrame.SendEvent third = session.newEvent("notes", "text", new byte[] {3});
            assertThat(session.sendAndAwait(third, TIMEOUT)).isInstanceOfSatisfying(ServerFrame.EventAck.class,
                    ack -> assertThat(ack.eventId()).isEqualTo(third.eventId()));
            assertThat(session.next(TIMEOUT)).isEqualTo(FakeGateway.delivered(9));
            assertThat(handled).isEmpty();
        }
    }

    @Test
    void aHandlerThatThrowsLosesOnlyTheFramesItFailedOn() throws Exception {
        try (DeviceSession session = DeviceSession.connect(gateway.uri(), identity, null, TIMEOUT)) {
            BlockingQueue<ServerFrame> handled = new LinkedBlockingQueue<>();
            session.handleFrames(frame -> {
                handled.add(frame);
                throw new IllegalStateException("a handler's bug");
            });
            session.send(session.newEvent("notes", "text", new byte[] {1}));
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo(FakeGateway.delivered(9));
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isInstanceOf(ServerFrame.EventAck.class);

            session.handleFrames(null);
            assertThat(session.sendAndAwait(session.newEvent("notes", "text", new byte[] {2}), TIMEOUT))
                    .isInstanceOf(ServerFrame.EventAck.class);
            assertThat(session.isClosed()).isFalse();
        }
    }

    @Test
    void answersTheServersPing() throws Exception {
        try (DeviceSession session = DeviceSession.connect(gateway.uri(), identity, null, TIMEOUT)) {
            assertThat(gateway.pong.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("heartbeat");
            assertThat(session.isClosed()).isFalse();
        }
    }

    @Test
    void recordsTheServersCloseCodeAndWakesWaitingReaders() {
        DeviceSession session = DeviceSession.connect(gateway.uri(), identity, null, TIMEOUT);

        session.ack(4003);

        assertThatThrownBy(() -> session.await(ServerFrame.EventAck.class, a -> true, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(SessionClosedException.class, e -> assertThat(e.closeCode()).isEqualTo(4003));
        assertThat(session.awaitClose(TIMEOUT)).isEqualTo(4003);
        assertThat(session.closeReason()).isEqualTo("revoked");
        assertThat(session.next(Duration.ofMillis(10))).isNull();
        session.close(); // already closed: nothing happens
        assertThat(session.closeCode()).isEqualTo(4003);
    }

    @Test
    void closeEndsTheSessionNormally() {
        DeviceSession session = DeviceSession.connect(gateway.uri(), identity, null, TIMEOUT);

        session.close();

        assertThat(session.isClosed()).isTrue();
        assertThat(session.closeCode()).isEqualTo(1000);
        assertThatThrownBy(() -> session.await(f -> true, TIMEOUT)).isInstanceOf(SessionClosedException.class);
    }

    @Test
    void refusesAServerThatIsNotThePinnedOne() {
        byte[] otherKey = DeviceIdentity.newKeyPair().publicKey();

        assertThatThrownBy(() -> DeviceSession.connect(gateway.uri(), identity, otherKey, TIMEOUT))
                .isInstanceOfSatisfying(HandshakeException.class,
                        e -> assertThat(e.code()).isEqualTo(HandshakeException.SERVER_KEY_MISMATCH));
    }

    @Test
    void reportsTheServersErrorCodeAndCloseCode() {
        DeviceIdentity impostor = DeviceIdentity.of(identity.userId(), identity.deviceId(),
                DeviceIdentity.newKeyPair(), "laptop", "desktop");

        assertThatThrownBy(() -> DeviceSession.connect(gateway.uri(), impostor, null, TIMEOUT))
                .isInstanceOfSatisfying(HandshakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("authentication_failed");
                    assertThat(e.closeCode()).isEqualTo(1008);
                });
    }

    @Test
    void cannotConnectToANonListeningPort() throws Exception {
        java.net.URI uri = gateway.uri();
        gateway.close();

        assertThatThrownBy(() -> DeviceSession.connect(uri, identity, null, TIMEOUT))
                .isInstanceOfSatisfying(HandshakeException.class,
                        e -> assertThat(e.code()).isEqualTo(HandshakeException.CONNECT_FAILED));
    }
}
