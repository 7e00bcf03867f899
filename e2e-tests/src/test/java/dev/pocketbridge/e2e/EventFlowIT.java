package dev.pocketbridge.e2e;

import static dev.pocketbridge.e2e.Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.common.protocol.ServerFrame.DeliveredEvent;
import dev.pocketbridge.common.protocol.ServerFrame.EventAck;

/**
 * One user with three devices spread over two gateway nodes and a second user: the whole path of
 * PROTOCOL.md §3.2–3.4 through real processes, Kafka and PostgreSQL.
 */
class EventFlowIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void system() {
        RunningSystem.get();
    }

    @Test
    void hundredEventsReachTheUsersOtherDevicesOnBothNodesCompleteAndInOrderAndNoOneElse() {
        Device a = Fixture.newUser(0, "laptop");
        Device b = Fixture.pairedWith(a, 0, "phone");
        Device c = Fixture.pairedWith(a, 1, "browser");
        Device other = Fixture.newUser(1, "stranger");
        assertThat(b.identity().userId()).isEqualTo(a.identity().userId());

        try (DeviceSession sa = a.connect(); DeviceSession sb = b.connect(); DeviceSession sc = c.connect();
                DeviceSession so = other.connect()) {
            awaitLiveRouting(sa, List.of(sb, sc));
            long head = sa.sendAndAwait(probe(sa), WAIT) instanceof EventAck ack ? ack.seq() : -1;
            assertThat(head).isPositive();

            Map<String, byte[]> sent = new HashMap<>();
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] payload = new byte[1 + RANDOM.nextInt(2048)];
                RANDOM.nextBytes(payload);
                ClientFrame.SendEvent event = sa.newEvent("clipboard", "clip.v1", payload);
                sent.put(event.eventId(), payload);
                order.add(event.eventId());
                sa.send(event);
            }

            List<EventAck> acks = new ArrayList<>();
            for (String eventId : order) {
                acks.add((EventAck) sa.await(f -> f instanceof EventAck ack && ack.eventId().equals(eventId), WAIT));
            }
            assertThat(acks).extracting(EventAck::status).containsOnly(EventAck.STORED);
            assertThat(acks).extracting(EventAck::seq)
                    .containsExactlyElementsOf(range(head + 1, head + 100));
            assertThat(acks.stream().map(EventAck::seq).collect(Collectors.toSet())).hasSize(100);

            for (DeviceSession receiver : List.of(sb, sc)) {
                List<DeliveredEvent> received = new ArrayList<>();
                while (received.size() < 100) {
                    received.add(receiver.await(DeliveredEvent.class, e -> sent.containsKey(e.eventId()), WAIT));
                }
                assertThat(received).extracting(DeliveredEvent::seq).containsExactlyElementsOf(range(head + 1, head + 100));
                assertThat(received).extracting(DeliveredEvent::eventId).containsExactlyElementsOf(order);
                for (DeliveredEvent e : received) {
                    assertThat(Base64Url.decode(e.encryptedPayload()).orElseThrow()).isEqualTo(sent.get(e.eventId()));
                    assertThat(e.deviceId()).isEqualTo(a.identity().deviceId());
                    assertThat(e.streamId()).isEqualTo("clipboard");
                }
                assertThat(received.getLast().streamSeq() - received.getFirst().streamSeq()).isEqualTo(99);
            }

            // The other user saw none of it, live or in replay.
            assertThat(so.drain()).noneMatch(f -> f instanceof DeliveredEvent);
            assertThat(so.replayAll(0L)).isEmpty();
            assertThat(so.established().headSeq()).isZero();
        }
    }

    @Test
    void anOfflineDeviceReplaysEverythingAfterItsAckedCursorInPages() {
        Device a = Fixture.newUser(0, "desktop");
        Device e = Fixture.pairedWith(a, 1, "tablet");
        Map<Long, String> payloadBySeq = new HashMap<>();
        long acked;
        try (DeviceSession sa = a.connect()) {
            for (int i = 0; i < 20; i++) {
                send(sa, payloadBySeq);
            }
            try (DeviceSession se = e.connect()) {
                List<DeliveredEvent> firstPage = se.replay(0L, 10, null).events();
                acked = firstPage.getLast().seq();
                se.ack(acked);
                await().atMost(WAIT).until(() -> {
                    try (DeviceSession probe = e.connect()) {
                        return probe.established().lastAckedSeq() == acked;
                    }
                });
            }
            for (int i = 0; i < 230; i++) {
                send(sa, payloadBySeq);
            }
        }
        try (DeviceSession se = e.connect()) {
            ServerFrame.SessionEstablished established = se.established();
            assertThat(established.lastAckedSeq()).isEqualTo(10);
            assertThat(established.headSeq()).isEqualTo(250);
            assertThat(established.oldestAvailableSeq()).isEqualTo(1);

            List<ServerFrame.ReplayResponse> pages = new ArrayList<>();
            ServerFrame.ReplayResponse page = se.replay(null, 100, null);
            pages.add(page);
            while (page.hasMore()) {
                page = se.replay(null, 100, page.continuationToken());
                pages.add(page);
            }
            assertThat(pages).hasSize(3);
            assertThat(pages).extracting(ServerFrame.ReplayResponse::throughSeq).containsExactly(110L, 210L, 250L);
            assertThat(pages).extracting(ServerFrame.ReplayResponse::hasMore).containsExactly(true, true, false);
            List<DeliveredEvent> replayed = pages.stream().flatMap(p -> p.events().stream()).toList();
            assertThat(replayed).extracting(DeliveredEvent::seq).containsExactlyElementsOf(range(11, 250));
            for (DeliveredEvent event : replayed) {
                assertThat(event.encryptedPayload()).isEqualTo(payloadBySeq.get(event.seq()));
            }
        }
    }

    @Test
    void aResendIsAcknowledgedAsDuplicateWithTheOriginalSeqAndBadEventsAreRejectedNotStored() {
        Device a = Fixture.newUser(1, "desktop");
        try (DeviceSession sa = a.connect()) {
            ClientFrame.SendEvent event = sa.newEvent("notes", "note.v1", new byte[] {1, 2, 3});
            EventAck first = (EventAck) sa.sendAndAwait(event, WAIT);
            assertThat(first.status()).isEqualTo(EventAck.STORED);
            EventAck again = (EventAck) sa.sendAndAwait(event, WAIT);
            assertThat(again.status()).isEqualTo(EventAck.DUPLICATE);
            assertThat(again.seq()).isEqualTo(first.seq());

            ClientFrame.SendEvent stale = new ClientFrame.SendEvent(sa.newEvent("notes", "note.v1", new byte[1]).eventId(),
                    event.deviceSeq(), "notes", "note.v1", "AA", null, null);
            assertThat(sa.sendAndAwait(stale, WAIT)).isInstanceOfSatisfying(ServerFrame.EventRejected.class,
                    r -> assertThat(r.code()).isEqualTo("non_monotonic_device_seq"));

            ClientFrame.SendEvent reused = new ClientFrame.SendEvent(event.eventId(), sa.nextDeviceSeq(), "notes",
                    "note.v1", "BBBB", null, null);
            assertThat(sa.sendAndAwait(reused, WAIT)).isInstanceOfSatisfying(ServerFrame.EventRejected.class,
                    r -> assertThat(r.code()).isEqualTo("event_id_conflict"));

            ClientFrame.SendEvent invalid = new ClientFrame.SendEvent(sa.newEvent("x", "y", new byte[1]).eventId(),
                    sa.nextDeviceSeq(), "bad stream id", "note.v1", "AA", null, null);
            assertThat(sa.sendAndAwait(invalid, WAIT)).isInstanceOfSatisfying(ServerFrame.EventRejected.class,
                    r -> assertThat(r.code()).isEqualTo("invalid_event"));

            ClientFrame.SendEvent expired = new ClientFrame.SendEvent(sa.newEvent("x", "y", new byte[1]).eventId(),
                    sa.nextDeviceSeq(), "notes", "note.v1", "AA", System.currentTimeMillis() - 600_000, null);
            assertThat(sa.sendAndAwait(expired, WAIT)).isInstanceOfSatisfying(ServerFrame.EventRejected.class,
                    r -> assertThat(r.code()).isEqualTo("expired"));

            assertThat(sa.replayAll(0L)).extracting(DeliveredEvent::eventId).containsExactly(event.eventId());
        }
    }

    /** Live routing needs the relay to have seen the receivers' presence: probe until each gets one live. */
    /** Probes until events of {@code sender} reach every one of {@code receivers} live. */
    static void awaitLiveRouting(DeviceSession sender, List<DeviceSession> receivers) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ClientFrame.SendEvent probe = probe(sender);
            sender.sendAndAwait(probe, WAIT);
            return receivers.stream().allMatch(r -> {
                try {
                    r.await(DeliveredEvent.class, e -> e.eventId().equals(probe.eventId()), Duration.ofSeconds(2));
                    return true;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        });
        receivers.forEach(DeviceSession::drain);
    }

    private static ClientFrame.SendEvent probe(DeviceSession session) {
        return session.newEvent("probe", "probe.v1", new byte[] {0});
    }

    private static void send(DeviceSession session, Map<Long, String> payloadBySeq) {
        byte[] payload = new byte[16];
        RANDOM.nextBytes(payload);
        ClientFrame.SendEvent event = session.newEvent("notes", "note.v1", payload);
        EventAck ack = (EventAck) session.sendAndAwait(event, WAIT);
        payloadBySeq.put(ack.seq(), event.encryptedPayload());
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        List<Long> values = new ArrayList<>();
        for (long v = fromInclusive; v <= toInclusive; v++) {
            values.add(v);
        }
        return values;
    }
}
