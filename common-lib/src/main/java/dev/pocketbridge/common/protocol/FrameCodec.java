package dev.pocketbridge.common.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Frames to and from records: text frames of JSON, and the binary CBOR form of a replay page.
 * Decoding a client frame never throws: a frame that cannot be read becomes a
 * {@link Decoded.Invalid} that still carries what could be salvaged (an event's id and
 * {@code device_seq}), so the server can answer {@code event_rejected} instead of dropping it.
 */
public final class FrameCodec {

    private static final Set<String> CLIENT_TYPES =
            Set.of("client_hello", "client_auth", "event", "ack", "replay_request");
    /** The initial byte of a CBOR map of indefinite length, and CBOR's major type 3 (text string). */
    private static final int CBOR_MAP_INDEFINITE = 0xBF;
    private static final int CBOR_TEXT = 0x60;

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

    /**
     * The {@code replay_response} frame answering {@code requestId} with a page given as its JSON,
     * without reading the page: the frame is {@code type} and {@code request_id} followed by the
     * page's own members, which are the frame's remaining members in the frame's order. The same bytes
     * as {@link #encodeUtf8} of {@link ServerFrame.ReplayResponse#of} the page read back, provided the
     * page was written by the wire's mapper ({@link Json}); event-service's replay endpoint is, and the
     * gateway passes its pages through this way instead of parsing and re-encoding up to a megabyte
     * of ciphertext per page.
     *
     * @throws IllegalArgumentException when {@code pageJson} is not a JSON object with members
     */
    public static byte[] replayResponseUtf8(String requestId, byte[] pageJson) {
        int open = 0;
        while (open < pageJson.length && Character.isWhitespace(pageJson[open])) {
            open++;
        }
        int first = open + 1;
        while (first < pageJson.length && Character.isWhitespace(pageJson[first])) {
            first++;
        }
        if (first >= pageJson.length || pageJson[open] != '{' || pageJson[first] != '"') {
            throw new IllegalArgumentException("a replay page must be a JSON object with members");
        }
        // A null request id is left out, as the mapper leaves out every absent member.
        byte[] head = ("{\"type\":\"replay_response\"," + (requestId == null ? "" : "\"request_id\":" + Json.write(requestId) + ","))
                .getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[head.length + pageJson.length - first];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(pageJson, first, frame, head.length, pageJson.length - first);
        return frame;
    }

    /**
     * {@link #replayResponseUtf8} for a page written as CBOR by {@link Cbor#mapper()}: the binary
     * message that answers a {@code replay_request} with {@code "encoding":"cbor"}. The page is a map
     * of indefinite length (as Jackson writes an object), so the frame is that map with {@code type}
     * and {@code request_id} put before its first member: the same frame as {@link Cbor#mapper()}
     * writing {@link ServerFrame.ReplayResponse#of} the page.
     *
     * @throws IllegalArgumentException when {@code pageCbor} is not such a map with members
     */
    public static byte[] replayResponseCbor(String requestId, byte[] pageCbor) {
        if (pageCbor.length < 2 || (pageCbor[0] & 0xFF) != CBOR_MAP_INDEFINITE
                || (pageCbor[1] & 0xE0) != CBOR_TEXT) {
            throw new IllegalArgumentException("a replay page must be a CBOR map of indefinite length with members");
        }
        // The head is written first and the page copied once into a frame of exactly its size: a page
        // is up to megabytes of ciphertext, and a growing stream would copy it two more times.
        ByteArrayOutputStream head = new ByteArrayOutputStream(64);
        head.write(CBOR_MAP_INDEFINITE);
        writeCborText(head, "type");
        writeCborText(head, "replay_response");
        if (requestId != null) {
            writeCborText(head, "request_id");
            writeCborText(head, requestId);
        }
        byte[] frame = Arrays.copyOf(head.toByteArray(), head.size() + pageCbor.length - 1);
        System.arraycopy(pageCbor, 1, frame, head.size(), pageCbor.length - 1);
        return frame;
    }

    /** A CBOR text string (major type 3): its length in the shortest head, then its UTF-8 bytes. */
    private static void writeCborText(ByteArrayOutputStream out, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        if (n < 24) {
            out.write(CBOR_TEXT | n);
        } else if (n < 0x100) {
            out.write(CBOR_TEXT | 24);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(CBOR_TEXT | 25);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(CBOR_TEXT | 26);
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.write(utf8, 0, n);
    }

    public static String encode(ClientFrame frame) {
        return Json.mapper().writerFor(ClientFrame.class).writeValueAsString(frame);
    }

    public static ServerFrame decodeServer(String text) {
        return Json.mapper().readValue(text, ServerFrame.class);
    }

    /**
     * Decodes a binary message of the server: a frame in CBOR ({@link #replayResponseCbor}). A
     * {@code replay_response} that starts with its type, as the server writes it, is read by
     * {@link CborReplayReader}; anything else by {@link Cbor#mapper()}, into the same records.
     */
    public static ServerFrame decodeServerCbor(byte[] message) {
        ServerFrame.ReplayResponse page = CborReplayReader.read(message);
        return page != null ? page : Cbor.mapper().readValue(message, ServerFrame.class);
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
