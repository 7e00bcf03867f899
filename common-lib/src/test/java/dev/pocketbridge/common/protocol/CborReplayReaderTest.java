package dev.pocketbridge.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Cbor;
import tools.jackson.core.JacksonException;

/**
 * {@link CborReplayReader} reads every page into the record Jackson's CBOR mapper reads from the same
 * bytes, and refuses what the mapper refuses.
 */
class CborReplayReaderTest {

    private static final Random RANDOM = new Random(20261204);

    private static ServerFrame.DeliveredEvent randomEvent(long seq) {
        byte[] ciphertext = new byte[RANDOM.nextInt(2000)];
        RANDOM.nextBytes(ciphertext);
        return new ServerFrame.DeliveredEvent(seq, "0193c1a0-0000-7000-8000-" + String.format("%012d", seq),
                RANDOM.nextBoolean() ? "d-\u00e9\u4e2d" : null, RANDOM.nextLong(Long.MAX_VALUE),
                RANDOM.nextBoolean() ? "s".repeat(RANDOM.nextInt(300)) : null, RANDOM.nextInt(24),
                RANDOM.nextBoolean() ? "clipboard.text" : null, RANDOM.nextInt(10) == 0 ? null : Base64Url.encode(ciphertext),
                RANDOM.nextBoolean() ? null : -RANDOM.nextLong(1L << 40), Long.MAX_VALUE - RANDOM.nextInt(1000),
                RANDOM.nextBoolean());
    }

    private static ReplayPage randomPage() {
        List<ServerFrame.DeliveredEvent> events = new ArrayList<>();
        int n = RANDOM.nextInt(40);
        for (int i = 0; i < n; i++) {
            events.add(randomEvent(1 + i));
        }
        return new ReplayPage(events, RANDOM.nextBoolean(), RANDOM.nextBoolean() ? "c-" + RANDOM.nextInt() : null,
                RANDOM.nextInt(1 << 20), RANDOM.nextInt(255), n == 0);
    }

    private static ServerFrame jackson(byte[] message) {
        return Cbor.mapper().readValue(message, ServerFrame.class);
    }

    @Test
    void readsWhatTheServerWritesAsJacksonDoes() {
        for (int i = 0; i < 300; i++) {
            String requestId = RANDOM.nextBoolean() ? null : "r-" + "x".repeat(RANDOM.nextInt(300));
            ReplayPage page = randomPage();
            byte[] frame = FrameCodec.replayResponseCbor(requestId, Cbor.mapper().writeValueAsBytes(page));
            ServerFrame.ReplayResponse read = CborReplayReader.read(frame);
            assertThat(read).isEqualTo(ServerFrame.ReplayResponse.of(requestId, page)).isEqualTo(jackson(frame));
            assertThat(FrameCodec.decodeServerCbor(frame)).isEqualTo(read);
        }
    }

    /** A frame as a map: written by the mapper with definite lengths, and in any member order after {@code type}. */
    private static Map<String, Object> frameMap(ServerFrame.ReplayResponse response) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", "replay_response");
        List<Object> events = new ArrayList<>();
        for (ServerFrame.DeliveredEvent e : response.events()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("conflict", e.conflict());
            event.put("type", "event");
            event.put("encrypted_payload", e.encryptedPayload()); // as text, which the reader keeps as it is
            event.put("created_at", e.createdAt());
            event.put("expires_at", e.expiresAt());
            event.put("future_member", Map.of("nested", List.of(1, -2, 1.5, "x", new byte[] {1}, false)));
            event.put("seq", e.seq());
            event.put("event_id", e.eventId());
            event.put("device_id", e.deviceId());
            event.put("device_seq", e.deviceSeq());
            event.put("stream_id", e.streamId());
            event.put("stream_seq", e.streamSeq());
            event.put("event_type", e.eventType());
            events.add(event);
        }
        map.put("is_empty", response.isEmpty());
        map.put("events", events);
        map.put("through_seq", response.throughSeq());
        map.put("oldest_available_seq", response.oldestAvailableSeq());
        map.put("has_more", response.hasMore());
        map.put("continuation_token", response.continuationToken());
        map.put("request_id", response.requestId());
        return map;
    }

    private static byte[] cbor(Map<String, Object> frame) {
        return Cbor.mapper().writeValueAsBytes(frame);
    }

    @Test
    void readsDefiniteLengthsUnknownMembersNullsAndAnyOrderAsJacksonDoes() {
        for (int i = 0; i < 100; i++) {
            ServerFrame.ReplayResponse response = ServerFrame.ReplayResponse.of("r", randomPage());
            byte[] frame = cbor(frameMap(response));
            assertThat(frame[0] & 0xE0).as("a map of definite length").isEqualTo(0xA0);
            assertThat(CborReplayReader.read(frame)).isEqualTo(response).isEqualTo(jackson(frame));
        }
    }

    @Test
    void absentTextIsNullAsJacksonReadsIt() {
        Map<String, Object> frame = frameMap(ServerFrame.ReplayResponse.of(null,
                new ReplayPage(List.of(randomEvent(3)), false, null, 3, 1, false)));
        for (String member : List.of("event_id", "device_id", "stream_id", "event_type", "encrypted_payload", "expires_at")) {
            event(frame).remove(member);
        }
        frame.remove("request_id");
        frame.remove("continuation_token");
        byte[] bytes = cbor(frame);
        assertThat(CborReplayReader.read(bytes)).isEqualTo(jackson(bytes));
        assertThat(CborReplayReader.read(bytes).events().getFirst().eventId()).isNull();
    }

    @Test
    void readsStringsOfIndefiniteLength() {
        // {"type":"replay_response","request_id":(_ "ab" "c"),"events":[{"encrypted_payload":(_ h'01' h'02ff')}]}
        byte[] frame = concat(new byte[] {(byte) 0xBF}, text("type"), text("replay_response"), text("request_id"),
                new byte[] {0x7F, 0x62, 'a', 'b', 0x61, 'c', (byte) 0xFF}, text("events"), new byte[] {(byte) 0x81, (byte) 0xA7},
                text("type"), text("event"), text("seq"), new byte[] {1}, text("device_seq"), new byte[] {1},
                text("stream_seq"), new byte[] {1}, text("created_at"), new byte[] {1}, text("conflict"), new byte[] {(byte) 0xF4},
                text("encrypted_payload"), new byte[] {0x5F, 0x41, 0x01, 0x42, 0x02, (byte) 0xFF, (byte) 0xFF},
                text("has_more"), new byte[] {(byte) 0xF4}, text("through_seq"), new byte[] {1},
                text("oldest_available_seq"), new byte[] {1}, text("is_empty"), new byte[] {(byte) 0xF4},
                new byte[] {(byte) 0xFF});
        ServerFrame.ReplayResponse read = CborReplayReader.read(frame);
        assertThat(read.requestId()).isEqualTo("abc");
        assertThat(read.events().getFirst().encryptedPayload()).isEqualTo(Base64Url.encode(new byte[] {1, 2, (byte) 0xFF}));
        assertThat(read).isEqualTo(jackson(frame));
    }

    @Test
    void leavesAnyOtherFrameToTheMapper() {
        Map<String, Object> typeLast = frameMap(ServerFrame.ReplayResponse.of("r",
                new ReplayPage(List.of(randomEvent(1)), false, null, 1, 1, false)));
        typeLast.remove("type");
        typeLast.put("type", "replay_response");
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "error");
        error.put("code", "internal");
        for (Map<String, Object> frame : List.of(typeLast, error)) {
            assertThat(CborReplayReader.read(cbor(frame))).isNull();
            assertThat(FrameCodec.decodeServerCbor(cbor(frame))).isEqualTo(jackson(cbor(frame)));
        }
        assertThat(CborReplayReader.read(cbor(Map.of()))).isNull();
    }

    @Test
    void refusesWhatTheMapperRefuses() {
        List<Consumer<Map<String, Object>>> breakages = List.of(
                f -> event(f).put("seq", null), // null where a number belongs
                f -> event(f).put("seq", "7"), // text for a number
                f -> event(f).put("seq", 1.5), // a float for a number
                f -> event(f).put("conflict", null),
                f -> event(f).put("conflict", 1),
                f -> event(f).put("event_id", 7), // a number for text
                f -> event(f).put("event_type", true),
                f -> event(f).put("encrypted_payload", 7),
                f -> f.put("has_more", "true"),
                f -> f.put("through_seq", new java.math.BigInteger("18446744073709551615")), // beyond int64
                f -> f.put("events", Map.of()),
                f -> event(f).remove("seq"), // a number absent
                f -> event(f).remove("conflict"),
                f -> f.remove("has_more"),
                f -> f.remove("through_seq"),
                f -> event(f).remove("type"), // an event without its type
                f -> event(f).put("type", "event_ack"));
        for (Consumer<Map<String, Object>> breakage : breakages) {
            Map<String, Object> frame = frameMap(ServerFrame.ReplayResponse.of("r",
                    new ReplayPage(List.of(randomEvent(1)), false, null, 1, 1, false)));
            breakage.accept(frame);
            byte[] bytes = cbor(frame);
            assertThatThrownBy(() -> jackson(bytes)).as(frame.toString()).isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> CborReplayReader.read(bytes)).as(frame.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesATruncatedFrameOrBytesAfterIt() {
        ReplayPage page = new ReplayPage(List.of(randomEvent(1), randomEvent(2)), true, "c", 2, 1, false);
        byte[] frame = FrameCodec.replayResponseCbor("r", Cbor.mapper().writeValueAsBytes(page));
        for (int length = 30; length < frame.length; length += 7) {
            byte[] truncated = Arrays.copyOf(frame, length);
            assertThatThrownBy(() -> CborReplayReader.read(truncated)).as("cut at " + length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> CborReplayReader.read(concat(frame, new byte[] {0})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(Map<String, Object> frame) {
        return (Map<String, Object>) ((List<Object>) frame.get("events")).getFirst();
    }

    private static byte[] text(String ascii) {
        return concat(new byte[] {(byte) (0x60 | ascii.length())}, ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
