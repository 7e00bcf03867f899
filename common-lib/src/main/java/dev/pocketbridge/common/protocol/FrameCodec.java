package dev.pocketbridge.common.protocol;

import java.util.Set;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Text frames to and from records. Decoding never throws: a frame that cannot be read becomes a
 * {@link Decoded.Invalid} that still carries what could be salvaged (an event's id and
 * {@code device_seq}), so the server can answer {@code event_rejected} instead of dropping it.
 */
public final class FrameCodec {

    private static final Set<String> CLIENT_TYPES =
            Set.of("client_hello", "client_auth", "event", "ack", "replay_request");

    private FrameCodec() {
    }

    /** The outcome of reading one client frame. */
    public sealed interface Decoded {

        record Valid(ClientFrame frame) implements Decoded {
        }

        /** {@code type} is null when the frame had no known type. */
        record Invalid(String type, String eventId, Long deviceSeq, String reason) implements Decoded {
        }
    }

    public static String encode(ServerFrame frame) {
        return Json.mapper().writerFor(ServerFrame.class).writeValueAsString(frame);
    }

    /** {@link #encode(ServerFrame)} as the UTF-8 bytes of a text frame. */
    public static byte[] encodeUtf8(ServerFrame frame) {
        return Json.mapper().writerFor(ServerFrame.class).writeValueAsBytes(frame);
    }

    public static String encode(ClientFrame frame) {
        return Json.mapper().writerFor(ClientFrame.class).writeValueAsString(frame);
    }

    public static ServerFrame decodeServer(String text) {
        return Json.mapper().readValue(text, ServerFrame.class);
    }

    /** Decodes a client frame with Jackson's default parsing limits; a server uses {@link #clientDecoder}. */
    public static Decoded decodeClient(String text) {
        return DEFAULT_DECODER.decode(text);
    }

    /**
     * A decoder of client frames whose parser stops at the first thing beyond {@code constraints}
     * (document and string length, nesting depth, token count, number length), so a frame costs at
     * most a bounded amount of parsing and memory whatever its shape: a {@code [{},{},…]} frame is
     * refused after {@code maxTokenCount} tokens instead of becoming a tree of millions of nodes.
     */
    public static ClientDecoder clientDecoder(StreamReadConstraints constraints) {
        return new ClientDecoder(Json.configure(JsonMapper.builder(
                JsonFactory.builder().streamReadConstraints(constraints).build())).build());
    }

    private static final ClientDecoder DEFAULT_DECODER = new ClientDecoder(Json.mapper());

    /** Reads client frames with one mapper (and so one set of parsing limits). Thread-safe. */
    public static final class ClientDecoder {

        private final JsonMapper mapper;

        private ClientDecoder(JsonMapper mapper) {
            this.mapper = mapper;
        }

        public Decoded decode(String text) {
            // The common case in one pass; only a frame that fails is read again as a tree, to say what is
            // wrong and salvage what it can (the gateway's hottest path: one parse per event, not two).
            try {
                ClientFrame frame = mapper.readValue(text, ClientFrame.class);
                if (frame != null) {
                    return new Decoded.Valid(frame);
                }
            } catch (StreamConstraintsException e) {
                return new Decoded.Invalid(null, null, null, "frame exceeds the parsing limits");
            } catch (JacksonException e) {
                // diagnosed below
            }
            return diagnose(text);
        }

        private Decoded diagnose(String text) {
            JsonNode node;
            try {
                node = mapper.readTree(text);
            } catch (StreamConstraintsException e) {
                return new Decoded.Invalid(null, null, null, "frame exceeds the parsing limits");
            } catch (JacksonException e) {
                return new Decoded.Invalid(null, null, null, "frame is not valid JSON");
            }
            if (node == null || !node.isObject()) {
                return new Decoded.Invalid(null, null, null, "frame must be a JSON object");
            }
            JsonNode typeNode = node.get("type");
            String type = typeNode != null && typeNode.isString() ? typeNode.asString() : null;
            if (type == null || !CLIENT_TYPES.contains(type)) {
                return new Decoded.Invalid(null, null, null,
                        type == null ? "frame has no type" : "unknown frame type");
            }
            try {
                return new Decoded.Valid(mapper.treeToValue(node, ClientFrame.class));
            } catch (JacksonException e) {
                JsonNode id = node.get("event_id");
                JsonNode seq = node.get("device_seq");
                return new Decoded.Invalid(type,
                        id != null && id.isString() ? id.asString() : null,
                        seq != null && seq.isIntegralNumber() && seq.canConvertToLong() ? seq.asLong() : null,
                        "a field has the wrong JSON type");
            }
        }
    }
}
