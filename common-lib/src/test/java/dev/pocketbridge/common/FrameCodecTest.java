package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.FrameCodec.Decoded;
import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;

class FrameCodecTest {

    /** A page of two events (one with an empty ciphertext) and an empty page. */
    private static final List<ReplayPage> PAGES = List.of(
            new ReplayPage(List.of(new ServerFrame.DeliveredEvent(5, "e1", "d", 2, "s", 1, "t", "AAEC", 1234L, 99, true),
                    new ServerFrame.DeliveredEvent(6, "e2", "d", 3, "s", 2, "t", "", null, 100, false)), true, "token", 6, 1, false),
            new ReplayPage(List.of(), false, null, 9, 7, true));

    @Test
    void decodesClientHelloWithSnakeCaseNames() {
        Decoded decoded = FrameCodec.decodeClient("""
                {"type":"client_hello","protocol_version":1,"user_id":"u","device_id":"d","nonce_c":"n","extra":1}""");
        assertThat(decoded).isEqualTo(new Decoded.Valid(new ClientFrame.ClientHello(1, "u", "d", "n")));
    }

    @Test
    void decodesEventWithMissingOptionalFieldsAsNull() {
        Decoded decoded = FrameCodec.decodeClient("""
                {"type":"event","event_id":"e","device_seq":3,"stream_id":"s","event_type":"t","encrypted_payload":"AA"}""");
        assertThat(decoded).isEqualTo(new Decoded.Valid(new ClientFrame.SendEvent("e", 3L, "s", "t", "AA", null, null)));
    }

    @Test
    void theTypeMayComeAnywhereInTheObject() {
        Decoded decoded = FrameCodec.decodeClient("""
                {"event_id":"e","device_seq":3,"stream_id":"s","event_type":"t","encrypted_payload":"AA","type":"event"}""");
        assertThat(decoded).isEqualTo(new Decoded.Valid(new ClientFrame.SendEvent("e", 3L, "s", "t", "AA", null, null)));
    }

    @Test
    void framesWithoutAUsableTypeSayWhy() {
        assertThat(FrameCodec.decodeClient("{\"event_id\":\"e\"}"))
                .isEqualTo(new Decoded.Invalid(null, null, null, "frame has no type"));
        assertThat(FrameCodec.decodeClient("{\"type\":5}"))
                .isEqualTo(new Decoded.Invalid(null, null, null, "frame has no type"));
        assertThat(FrameCodec.decodeClient("null")).isInstanceOf(Decoded.Invalid.class);
    }

    @Test
    void invalidFramesAreReportedNotThrown() {
        assertThat(FrameCodec.decodeClient("not json")).isInstanceOf(Decoded.Invalid.class);
        assertThat(FrameCodec.decodeClient("[1]")).isInstanceOf(Decoded.Invalid.class);
        assertThat(FrameCodec.decodeClient("{\"type\":\"server_hello\"}"))
                .isEqualTo(new Decoded.Invalid(null, null, null, "unknown frame type"));
    }

    @Test
    void malformedEventKeepsItsIdForTheRejection() {
        Decoded decoded = FrameCodec.decodeClient("""
                {"type":"event","event_id":"abc","device_seq":7,"expires_at":"soon"}""");
        assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> {
            assertThat(invalid.type()).isEqualTo("event");
            assertThat(invalid.eventId()).isEqualTo("abc");
            assertThat(invalid.deviceSeq()).isEqualTo(7L);
        });
    }

    private static final FrameCodec.ClientDecoder LIMITED = FrameCodec.clientDecoder(StreamReadConstraints.builder()
            .maxDocumentLength(4096).maxStringLength(4096).maxNestingDepth(4).maxTokenCount(100).maxNumberLength(20)
            .build());

    @Test
    void aLimitedDecoderReadsFramesWithinItsLimits() {
        assertThat(LIMITED.decode("""
                {"type":"event","event_id":"e","device_seq":3,"stream_id":"s","event_type":"t","encrypted_payload":"AA"}"""))
                .isEqualTo(new Decoded.Valid(new ClientFrame.SendEvent("e", 3L, "s", "t", "AA", null, null)));
    }

    @Test
    void aLimitedDecoderStopsAtTheFirstThingBeyondItsLimits() {
        Decoded.Invalid beyond = new Decoded.Invalid(null, null, null, "frame exceeds the parsing limits");
        // the shape that became a tree of millions of nodes
        assertThat(LIMITED.decode("[" + "{},".repeat(1000) + "{}]")).isEqualTo(beyond);
        assertThat(LIMITED.decode("{\"type\":\"ack\",\"x\":" + "[".repeat(10) + "]".repeat(10) + "}")).isEqualTo(beyond);
        assertThat(LIMITED.decode("{\"type\":\"ack\",\"seq\":" + "9".repeat(30) + "}")).isEqualTo(beyond);
        assertThat(LIMITED.decode("{\"type\":\"ack\",\"pad\":\"" + "a".repeat(5000) + "\"}")).isEqualTo(beyond);
        // the unlimited decoder reads the same frame
        assertThat(FrameCodec.decodeClient("[" + "{},".repeat(1000) + "{}]"))
                .isEqualTo(new Decoded.Invalid(null, null, null, "frame must be a JSON object"));
    }

    @Test
    void encodesServerFramesToUtf8AsTheyEncodeToText() {
        ServerFrame frame = new ServerFrame.EventRejected("é", 1L, "expired", "late", null);
        assertThat(new String(FrameCodec.encodeUtf8(frame), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(FrameCodec.encode(frame));
    }

    /** Found by FrameCodecFuzzTest: Jackson's default coercions turned these into valid frames. */
    @Test
    void membersOfTheWrongJsonTypeAreRefusedNotConverted() {
        Decoded.Invalid wrongType = new Decoded.Invalid("client_auth", null, null, "a field has the wrong JSON type");
        assertThat(FrameCodec.decodeClient("{\"type\":\"client_auth\",\"signature\":0}")).isEqualTo(wrongType);
        assertThat(FrameCodec.decodeClient("{\"type\":\"client_auth\",\"signature\":true}")).isEqualTo(wrongType);
        assertThat(FrameCodec.decodeClient("{\"type\":\"replay_request\",\"after_seq\":\"\\u0000\"}"))
                .isEqualTo(new Decoded.Invalid("replay_request", null, null, "a field has the wrong JSON type"));
        assertThat(FrameCodec.decodeClient("{\"type\":\"ack\",\"seq\":\" \"}"))
                .isEqualTo(new Decoded.Invalid("ack", null, null, "a field has the wrong JSON type"));
        assertThat(FrameCodec.decodeClient("{\"type\":\"event\",\"event_id\":\"e\",\"device_seq\":\"7\"}"))
                .isEqualTo(new Decoded.Invalid("event", "e", null, "a field has the wrong JSON type"));
        assertThat(FrameCodec.decodeClient("{\"type\":\"event\",\"event_id\":\"e\",\"device_seq\":1.5}"))
                .as("1.5 was stored as device_seq 1").isEqualTo(new Decoded.Invalid("event", "e", null,
                        "a field has the wrong JSON type"));
        assertThat(FrameCodec.decodeClient("{\"type\":\"event\",\"event_id\":\"e\",\"device_seq\":3,\"encrypted_payload\":true}"))
                .as("true was the 3-byte payload b6 ba de").isEqualTo(new Decoded.Invalid("event", "e", 3L,
                        "a field has the wrong JSON type"));
    }

    @Test
    void encodesServerFramesWithTypeAndWithoutAbsentMembers() {
        String json = FrameCodec.encode(new ServerFrame.EventRejected("e", 1L, "expired", "late", null));
        assertThat(json).isEqualTo(
                "{\"type\":\"event_rejected\",\"event_id\":\"e\",\"device_seq\":1,\"code\":\"expired\",\"message\":\"late\"}");
        String replay = FrameCodec.encode(new ServerFrame.ReplayResponse(null, List.of(), false, null, 4, 1, true));
        assertThat(replay).contains("\"is_empty\":true").contains("\"through_seq\":4").doesNotContain("request_id");
    }

    @Test
    void serverFramesRoundTrip() {
        ServerFrame event = new ServerFrame.DeliveredEvent(5, "e", "d", 2, "s", 1, "t", "AAEC", null, 99, true);
        assertThat(FrameCodec.decodeServer(FrameCodec.encode(event))).isEqualTo(event);
    }

    @Test
    void aReplayPagePassedThroughIsTheFrameEncodedFromThePageReadBack() {
        for (String requestId : Arrays.asList("r-1", "quote \" and \u00e9 and \u2028", null)) {
            for (ReplayPage page : PAGES) {
                byte[] pageJson = Json.write(page).getBytes(StandardCharsets.UTF_8);
                assertThat(new String(FrameCodec.replayResponseUtf8(requestId, pageJson), StandardCharsets.UTF_8))
                        .isEqualTo(new String(FrameCodec.encodeUtf8(ServerFrame.ReplayResponse.of(requestId,
                                Json.read(Json.write(page), ReplayPage.class))), StandardCharsets.UTF_8));
            }
        }
        assertThat(FrameCodec.replayResponseUtf8("r", " \n{ \"has_more\":false}".getBytes(StandardCharsets.UTF_8)))
                .asString(StandardCharsets.UTF_8).isEqualTo("{\"type\":\"replay_response\",\"request_id\":\"r\",\"has_more\":false}");
    }

    @Test
    void aReplayPageThatIsNoObjectWithMembersIsNotPassedThrough() {
        for (String notAPage : List.of("", "{}", "{ }", "[]", "null", "\"{\"", "{")) {
            assertThatThrownBy(() -> FrameCodec.replayResponseUtf8("r", notAPage.getBytes(StandardCharsets.UTF_8)))
                    .as(notAPage).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aCborReplayPagePassedThroughIsTheFrameEncodedFromThePage() {
        // request ids whose CBOR text heads take one, two and three bytes
        for (String requestId : Arrays.asList("r-1", "\u00e9".repeat(20), "x".repeat(300), null)) {
            for (ReplayPage page : PAGES) {
                byte[] frame = FrameCodec.replayResponseCbor(requestId, Cbor.mapper().writeValueAsBytes(page));
                ServerFrame.ReplayResponse expected = ServerFrame.ReplayResponse.of(requestId, page);
                assertThat(frame).isEqualTo(Cbor.mapper().writerFor(ServerFrame.class).writeValueAsBytes(expected));
                assertThat(FrameCodec.decodeServerCbor(frame)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aCborReplayPageCarriesCiphertextAsBytesAndIdsAsText() {
        byte[] ciphertext = new byte[300];
        new Random(7).nextBytes(ciphertext);
        ServerFrame.DeliveredEvent event = new ServerFrame.DeliveredEvent(5, "0193c1a0-0000-7000-8000-000000000001", "d", 2,
                "s", 1, "t", Base64Url.encode(ciphertext), null, 99, false);
        byte[] cbor = Cbor.mapper().writeValueAsBytes(new ReplayPage(List.of(event), false, null, 5, 1, false));
        byte[] byteStringHead = {0x59, 0x01, 0x2C}; // major type 2, length 300 in two bytes
        assertThat(indexOf(cbor, concat(byteStringHead, ciphertext))).isNotNegative();
        assertThat(new String(cbor, StandardCharsets.ISO_8859_1)).contains(event.eventId())
                .doesNotContain(event.encryptedPayload());
        // JSON keeps the text, and each reads back to the same record
        assertThat(Json.write(event)).contains("\"encrypted_payload\":\"" + event.encryptedPayload() + "\"");
        assertThat(Cbor.mapper().readValue(cbor, ReplayPage.class).events()).containsExactly(event);
    }

    @Test
    void aCiphertextThatIsNeitherTextNorBytesIsRefused() {
        assertThatThrownBy(() -> FrameCodec.decodeServer(
                "{\"type\":\"event\",\"seq\":1,\"encrypted_payload\":7,\"created_at\":1,\"device_seq\":1,\"stream_seq\":1}"))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void aCborReplayPageThatIsNoMapOfIndefiniteLengthIsNotPassedThrough() {
        byte[] definite = {(byte) 0xA1, 0x61, 'a', 0x01};
        byte[] empty = {(byte) 0xBF, (byte) 0xFF};
        for (byte[] notAPage : List.of(new byte[0], new byte[] {(byte) 0xBF}, definite, empty)) {
            assertThatThrownBy(() -> FrameCodec.replayResponseCbor("r", notAPage)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aReplayRequestNamesItsEncoding() {
        ClientFrame cbor = new ClientFrame.ReplayRequest("r", null, 10, null, ClientFrame.ReplayRequest.CBOR);
        assertThat(FrameCodec.encode(cbor)).contains("\"encoding\":\"cbor\"");
        assertThat(FrameCodec.decodeClient(FrameCodec.encode(cbor))).isEqualTo(new Decoded.Valid(cbor));
        assertThat(FrameCodec.encode(new ClientFrame.ReplayRequest("r", null, 10, null))).doesNotContain("encoding");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void kafkaPayloadCarriesPolymorphicFrame() {
        Delivery delivery = new Delivery.Outcome(1, "u", "s",
                new ServerFrame.EventAck("e", 1, 10, 3, ServerFrame.EventAck.STORED, false));
        String json = Json.write(delivery);
        assertThat(json).contains("\"schema_version\":2").contains("\"type\":\"event_ack\"");
        assertThat(Json.read(json, Delivery.class)).isEqualTo(delivery);
    }
}
