package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.FrameCodec.Decoded;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Properties of the frame codec over generated and mutated frames (PROTOCOL.md §3, §5.2): reading a
 * client frame never throws and every refusal is one the gateway answers with a documented code;
 * every frame of either direction survives encode then decode unchanged.
 */
class FrameCodecFuzzTest {

    /** Each reason is answered {@code event_rejected invalid_event} for an event, {@code error protocol_error} otherwise (§5.2). */
    private static final Set<String> REASONS = Set.of("frame is not valid JSON", "frame must be a JSON object",
            "frame has no type", "unknown frame type", "a field has the wrong JSON type");

    private enum Kind { TEXT, INT32, INT64 }

    /** Every member of every client frame and its JSON type, as §3 gives them. */
    private static final Map<String, Map<String, Kind>> CLIENT_FIELDS = Map.of(
            "client_hello", Map.of("protocol_version", Kind.INT32, "user_id", Kind.TEXT, "device_id", Kind.TEXT,
                    "nonce_c", Kind.TEXT),
            "client_auth", Map.of("signature", Kind.TEXT),
            "event", Map.of("event_id", Kind.TEXT, "device_seq", Kind.INT64, "stream_id", Kind.TEXT,
                    "event_type", Kind.TEXT, "encrypted_payload", Kind.TEXT, "expires_at", Kind.INT64,
                    "base_stream_seq", Kind.INT64),
            "ack", Map.of("seq", Kind.INT64),
            "replay_request", Map.of("request_id", Kind.TEXT, "after_seq", Kind.INT64, "limit", Kind.INT32,
                    "continuation_token", Kind.TEXT));

    private static final List<String> NAMES = CLIENT_FIELDS.values().stream()
            .flatMap(fields -> fields.keySet().stream()).distinct().sorted().toList();

    /** A mapper with Jackson's defaults and strict about trailing content, to check what the codec accepted. */
    private static final JsonMapper PLAIN = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    // ---- reading never throws, and refuses only with documented reasons ---------------------

    @Property
    void anyTextIsAFrameOrADocumentedRefusal(@ForAll("anyText") String text) {
        assertDocumented(text, FrameCodec.decodeClient(text));
    }

    @Property
    void anyJsonIsAFrameOrADocumentedRefusal(@ForAll("frameShapedJson") String text) {
        assertDocumented(text, FrameCodec.decodeClient(text));
    }

    @Property
    void mutatedFramesAreFramesOrDocumentedRefusals(@ForAll("mutatedFrames") String text) {
        assertDocumented(text, FrameCodec.decodeClient(text));
    }

    /**
     * A frame whose member has the wrong JSON type is refused (not coerced), and what identifies an
     * event is kept so the gateway's {@code event_rejected} can name it (§5.2).
     */
    @Property
    void aMemberOfTheWrongJsonTypeIsRefusedKeepingTheEventsIdentity(@ForAll("wrongTyped") WrongTyped frame) {
        String text = JsonArbitraries.write(frame.members());
        Decoded decoded = FrameCodec.decodeClient(text);
        Object eventId = frame.members().get("event_id");
        Object deviceSeq = frame.members().get("device_seq");
        assertThat(decoded).as(text).isEqualTo(new Decoded.Invalid(frame.type(),
                "event_id".equals(frame.field()) ? null : (String) eventId,
                "device_seq".equals(frame.field()) ? null : (Long) deviceSeq,
                "a field has the wrong JSON type"));
    }

    private static void assertDocumented(String text, Decoded decoded) {
        switch (decoded) {
            case Decoded.Valid(ClientFrame frame) -> {
                // Only one JSON object, with a type naming exactly this frame, is ever a frame.
                JsonNode node = PLAIN.readTree(text);
                assertThat(node.isObject()).as(text).isTrue();
                assertThat(node.get("type").asString()).as(text).isEqualTo(wireType(frame));
            }
            case Decoded.Invalid invalid -> {
                assertThat(invalid.reason()).as(text).isIn(REASONS);
                if (invalid.type() == null) {
                    assertThat(invalid.eventId()).as(text).isNull();
                    assertThat(invalid.deviceSeq()).as(text).isNull();
                } else {
                    assertThat(invalid.type()).as(text).isIn(CLIENT_FIELDS.keySet());
                    assertThat(invalid.reason()).as(text).isEqualTo("a field has the wrong JSON type");
                }
            }
        }
    }

    private static String wireType(ClientFrame frame) {
        return switch (frame) {
            case ClientFrame.ClientHello h -> "client_hello";
            case ClientFrame.ClientAuth a -> "client_auth";
            case ClientFrame.SendEvent e -> "event";
            case ClientFrame.Ack a -> "ack";
            case ClientFrame.ReplayRequest r -> "replay_request";
        };
    }

    // ---- round trips -------------------------------------------------------------------------

    @Property
    void clientFramesRoundTrip(@ForAll("clientFrames") ClientFrame frame) {
        String text = FrameCodec.encode(frame);
        assertThat(FrameCodec.decodeClient(text)).as(text).isEqualTo(new Decoded.Valid(frame));
    }

    @Property
    void serverFramesRoundTripAsDocumentedJson(@ForAll("serverFrames") ServerFrame frame) {
        String text = FrameCodec.encode(frame);
        assertThat(FrameCodec.decodeServer(text)).as(text).isEqualTo(frame);
        JsonNode node = PLAIN.readTree(text);
        assertThat(node.get("type").asString()).isEqualTo(wireType(frame));
        // snake_case members, absent rather than null (§3: optional members are left out).
        node.properties().forEach(member -> {
            assertThat(member.getKey()).as(text).matches("[a-z]+(_[a-z]+)*");
            assertThat(member.getValue().isNull()).as(text).isFalse();
        });
    }

    private static String wireType(ServerFrame frame) {
        return switch (frame) {
            case ServerFrame.ServerHello h -> "server_hello";
            case ServerFrame.SessionEstablished s -> "session_established";
            case ServerFrame.EventAck a -> "event_ack";
            case ServerFrame.EventRejected r -> "event_rejected";
            case ServerFrame.DeliveredEvent e -> "event";
            case ServerFrame.ReplayResponse r -> "replay_response";
            case ServerFrame.SessionExpiring s -> "session_expiring";
            case ServerFrame.Error e -> "error";
        };
    }

    // ---- generators --------------------------------------------------------------------------

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("{}[]\":,\\ 0123456789.eE-+tfnulrsa").ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> frameShapedJson() {
        Arbitrary<Object> values = JsonArbitraries.values(NAMES);
        Arbitrary<Object> type = Arbitraries.oneOf(Arbitraries.of(List.copyOf(CLIENT_FIELDS.keySet())),
                Arbitraries.of("server_hello", "Event", "event ", ""), values);
        Arbitrary<Map<String, Object>> members = Arbitraries.maps(Arbitraries.of(NAMES), values).ofMaxSize(8);
        return Arbitraries.oneOf(
                Combinators.combine(type, members).as((t, m) -> {
                    Map<String, Object> frame = new LinkedHashMap<>();
                    frame.put("type", t);
                    frame.putAll(m);
                    return JsonArbitraries.write(frame);
                }),
                values.map(JsonArbitraries::write));
    }

    @Provide
    Arbitrary<String> mutatedFrames() {
        return Combinators.combine(clientFrames(), JsonArbitraries.textEdits())
                .as((frame, edit) -> edit.apply(FrameCodec.encode(frame)));
    }

    /** A frame with every member of the right type but one. */
    record WrongTyped(String type, Map<String, Object> members, String field) {
    }

    @Provide
    Arbitrary<WrongTyped> wrongTyped() {
        return Arbitraries.of(List.copyOf(CLIENT_FIELDS.keySet())).flatMap(type -> {
            Map<String, Kind> fields = CLIENT_FIELDS.get(type);
            List<String> names = fields.keySet().stream().sorted().toList();
            List<Arbitrary<Object>> values = names.stream().map(name -> rightlyTyped(fields.get(name))).toList();
            return Combinators.combine(values).as(List::copyOf).flatMap(valid -> Arbitraries.of(names).flatMap(field ->
                    wronglyTyped(fields.get(field)).map(wrong -> {
                        Map<String, Object> members = new LinkedHashMap<>();
                        members.put("type", type);
                        for (int i = 0; i < names.size(); i++) {
                            members.put(names.get(i), names.get(i).equals(field) ? wrong : valid.get(i));
                        }
                        return new WrongTyped(type, members, field);
                    })));
        });
    }

    private static Arbitrary<Object> rightlyTyped(Kind kind) {
        return switch (kind) {
            case TEXT -> JsonArbitraries.strings().map(s -> s);
            case INT32 -> Arbitraries.integers().map(i -> (long) i);
            case INT64 -> Arbitraries.longs().map(l -> l);
        };
    }

    private static Arbitrary<Object> wronglyTyped(Kind kind) {
        Arbitrary<Object> structures = Arbitraries.of(List.of(), Map.of("a", 1), true, false);
        return switch (kind) {
            case TEXT -> Arbitraries.oneOf(JsonArbitraries.numbers(), structures);
            case INT32, INT64 -> Arbitraries.oneOf(structures, JsonArbitraries.strings().map(s -> s),
                    Arbitraries.of(new JsonArbitraries.Raw("1.5"), new JsonArbitraries.Raw("-0.25"),
                            new JsonArbitraries.Raw("7.000001")),
                    Arbitraries.of(kind == Kind.INT32
                            ? List.of(BigInteger.ONE.shiftLeft(31), BigInteger.ONE.shiftLeft(31).negate().subtract(BigInteger.ONE))
                            : List.of(BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE))));
        };
    }

    @Provide
    Arbitrary<ClientFrame> clientFrames() {
        Arbitrary<String> text = JsonArbitraries.strings().injectNull(0.1);
        Arbitrary<Long> number = Arbitraries.longs().injectNull(0.1);
        Arbitrary<Integer> small = Arbitraries.integers().injectNull(0.1);
        return Arbitraries.oneOf(
                Combinators.combine(small, text, text, text).as(ClientFrame.ClientHello::new),
                text.map(ClientFrame.ClientAuth::new),
                Combinators.combine(text, number, text, text, text, number, number).as(ClientFrame.SendEvent::new),
                number.map(ClientFrame.Ack::new),
                Combinators.combine(text, number, small, text).as(ClientFrame.ReplayRequest::new));
    }

    @Provide
    Arbitrary<ServerFrame> serverFrames() {
        Arbitrary<String> text = JsonArbitraries.strings().injectNull(0.1);
        Arbitrary<Long> number = Arbitraries.longs();
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        Arbitrary<ServerFrame.DeliveredEvent> delivered = Combinators.combine(
                Combinators.combine(number, text, text, number, text, number).as(Arrays::<Object>asList),
                Combinators.combine(text, text, number.injectNull(0.3), number, bool).as(Arrays::<Object>asList))
                .as((a, b) -> new ServerFrame.DeliveredEvent((Long) a.get(0), (String) a.get(1), (String) a.get(2),
                        (Long) a.get(3), (String) a.get(4), (Long) a.get(5), (String) b.get(0), (String) b.get(1),
                        (Long) b.get(2), (Long) b.get(3), (Boolean) b.get(4)));
        Arbitrary<List<ServerFrame.DeliveredEvent>> events = delivered.list().ofMaxSize(3).map(ArrayList::new);
        return Arbitraries.oneOf(
                Combinators.combine(text, text, number, text, text).as(ServerFrame.ServerHello::new),
                Combinators.combine(text, number, number, number, number, number, number)
                        .as(ServerFrame.SessionEstablished::new),
                Combinators.combine(text, number, number, number, text, bool).as(ServerFrame.EventAck::new),
                Combinators.combine(text, number.injectNull(0.3), text, text, number.injectNull(0.5))
                        .as(ServerFrame.EventRejected::new),
                delivered.map(e -> e),
                Combinators.combine(text, events.injectNull(0.1), bool, text, number, number, bool)
                        .as(ServerFrame.ReplayResponse::new),
                number.map(ServerFrame.SessionExpiring::new),
                Combinators.combine(text, text).as(ServerFrame.Error::new));
    }
}
