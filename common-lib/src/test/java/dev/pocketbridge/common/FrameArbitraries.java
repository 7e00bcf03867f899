package dev.pocketbridge.common;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.FrameCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Client frames for the property tests over the frame decoder, in common-lib and over the gateway's
 * real socket: any text, frame-shaped JSON, valid frames with one edit, and frames with one member of
 * the wrong JSON type.
 */
public final class FrameArbitraries {

    private FrameArbitraries() {
    }

    /** The JSON type of a frame member. */
    public enum Kind { TEXT, INT32, INT64 }

    /** Every member of every client frame and its JSON type, as §3 gives them. */
    public static final Map<String, Map<String, Kind>> CLIENT_FIELDS = Map.of(
            "client_hello", Map.of("protocol_version", Kind.INT32, "user_id", Kind.TEXT, "device_id", Kind.TEXT,
                    "nonce_c", Kind.TEXT),
            "client_auth", Map.of("signature", Kind.TEXT),
            "event", Map.of("event_id", Kind.TEXT, "device_seq", Kind.INT64, "stream_id", Kind.TEXT,
                    "event_type", Kind.TEXT, "encrypted_payload", Kind.TEXT, "expires_at", Kind.INT64,
                    "base_stream_seq", Kind.INT64),
            "ack", Map.of("seq", Kind.INT64),
            "replay_request", Map.of("request_id", Kind.TEXT, "after_seq", Kind.INT64, "limit", Kind.INT32,
                    "continuation_token", Kind.TEXT));

    /** The client frame types, in a fixed order so a seed reproduces its samples. */
    public static final List<String> TYPES = CLIENT_FIELDS.keySet().stream().sorted().toList();

    /** Every member name of a client frame. */
    public static final List<String> NAMES = CLIENT_FIELDS.values().stream()
            .flatMap(fields -> fields.keySet().stream()).distinct().sorted().toList();

    /** Any of the hostile texts below. */
    public static Arbitrary<String> hostileFrames() {
        return Arbitraries.oneOf(anyText(), frameShapedJson(), mutatedFrames(),
                wrongTyped().map(frame -> JsonArbitraries.write(frame.members())));
    }

    public static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("{}[]\":,\\ 0123456789.eE-+tfnulrsa").ofMaxLength(40));
    }

    public static Arbitrary<String> frameShapedJson() {
        Arbitrary<Object> values = JsonArbitraries.values(NAMES);
        Arbitrary<Object> type = Arbitraries.oneOf(Arbitraries.of(TYPES),
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

    public static Arbitrary<String> mutatedFrames() {
        return Combinators.combine(clientFrames(), JsonArbitraries.textEdits())
                .as((frame, edit) -> edit.apply(FrameCodec.encode(frame)));
    }

    /** A frame with every member of the right type but one. */
    public record WrongTyped(String type, Map<String, Object> members, String field) {
    }

    public static Arbitrary<WrongTyped> wrongTyped() {
        return Arbitraries.of(TYPES).flatMap(type -> {
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

    public static Arbitrary<ClientFrame> clientFrames() {
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
}
