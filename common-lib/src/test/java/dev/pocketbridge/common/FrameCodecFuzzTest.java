package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.pocketbridge.common.FrameArbitraries.WrongTyped;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.FrameCodec.Decoded;
import dev.pocketbridge.common.protocol.ServerFrame;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
                    assertThat(invalid.type()).as(text).isIn(FrameArbitraries.CLIENT_FIELDS.keySet());
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
        return FrameArbitraries.anyText();
    }

    @Provide
    Arbitrary<String> frameShapedJson() {
        return FrameArbitraries.frameShapedJson();
    }

    @Provide
    Arbitrary<String> mutatedFrames() {
        return FrameArbitraries.mutatedFrames();
    }

    @Provide
    Arbitrary<WrongTyped> wrongTyped() {
        return FrameArbitraries.wrongTyped();
    }

    @Provide
    Arbitrary<ClientFrame> clientFrames() {
        return FrameArbitraries.clientFrames();
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
