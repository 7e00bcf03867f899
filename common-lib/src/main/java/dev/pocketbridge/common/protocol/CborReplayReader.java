package dev.pocketbridge.common.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Cbor;

/**
 * Reads a {@code replay_response} in CBOR (PROTOCOL.md §3.4, as {@link FrameCodec#replayResponseCbor}
 * writes it) from its bytes into the record {@link Cbor#mapper()} reads from them, by the mapper's
 * rules: members in any order, unknown ones skipped, absent text null; a member of the wrong type, a
 * number or boolean absent or null, or an event without {@code "type":"event"} refused. A catch-up
 * decodes a megabyte a page, and the mapper's binding of it was half of a device's CPU in one: this
 * compares names as bytes, makes no tokens and calls the records' constructors itself. A message whose
 * first member is not {@code "type":"replay_response"} is left to the mapper ({@link #read} is null).
 */
final class CborReplayReader {

    private static final int UNSIGNED = 0;
    private static final int NEGATIVE = 1;
    private static final int BYTES = 2;
    private static final int TEXT = 3;
    private static final int ARRAY = 4;
    private static final int MAP = 5;
    private static final int TAG = 6;
    /** The additional information of an indefinite length, and the byte that ends such an item. */
    private static final int INDEFINITE = 31;
    private static final int BREAK = 0xFF;
    private static final int FALSE = 0xF4;
    private static final int TRUE = 0xF5;
    private static final int NULL = 0xF6;
    /** Items nested deeper than this are refused rather than skipped, so a skip cannot overflow the stack. */
    private static final int MAX_DEPTH = 64;

    private static final byte[] TYPE = ascii("type");
    private static final byte[] REPLAY_RESPONSE = ascii("replay_response");
    private static final String EVENT_TYPE_ID = "event";
    private static final byte[] REQUEST_ID = ascii("request_id");
    private static final byte[] EVENTS = ascii("events");
    private static final byte[] HAS_MORE = ascii("has_more");
    private static final byte[] CONTINUATION_TOKEN = ascii("continuation_token");
    private static final byte[] THROUGH_SEQ = ascii("through_seq");
    private static final byte[] OLDEST_AVAILABLE_SEQ = ascii("oldest_available_seq");
    private static final byte[] IS_EMPTY = ascii("is_empty");
    private static final byte[] SEQ = ascii("seq");
    private static final byte[] EVENT_ID = ascii("event_id");
    private static final byte[] DEVICE_ID = ascii("device_id");
    private static final byte[] DEVICE_SEQ = ascii("device_seq");
    private static final byte[] STREAM_ID = ascii("stream_id");
    private static final byte[] STREAM_SEQ = ascii("stream_seq");
    private static final byte[] EVENT_TYPE = ascii("event_type");
    private static final byte[] ENCRYPTED_PAYLOAD = ascii("encrypted_payload");
    private static final byte[] EXPIRES_AT = ascii("expires_at");
    private static final byte[] CREATED_AT = ascii("created_at");
    private static final byte[] CONFLICT = ascii("conflict");

    private final byte[] in;
    private int at;
    /** The last member name read: where its bytes are in {@link #in}. */
    private int nameAt;
    private int nameLength;

    private CborReplayReader(byte[] in) {
        this.in = in;
    }

    /**
     * The {@code replay_response} in {@code message}, or null when its first member is not
     * {@code "type":"replay_response"}.
     *
     * @throws IllegalArgumentException when it is one but does not follow §3.4
     */
    static ServerFrame.ReplayResponse read(byte[] message) {
        try {
            return new CborReplayReader(message).response();
        } catch (ArrayIndexOutOfBoundsException truncated) {
            throw new IllegalArgumentException("a CBOR replay_response ends early", truncated);
        }
    }

    private ServerFrame.ReplayResponse response() {
        long members = containerHead(MAP, "a CBOR replay_response and its events are maps");
        if (members == 0 || !nextMember(members, 0) || !nameIs(TYPE) || peek() >>> 5 != TEXT
                || (peek() & 0x1F) == INDEFINITE) {
            return null;
        }
        int length = length(head());
        if (!Arrays.equals(in, at, at + length, REPLAY_RESPONSE, 0, REPLAY_RESPONSE.length)) {
            return null;
        }
        at += length;
        String requestId = null;
        List<ServerFrame.DeliveredEvent> events = null;
        boolean hasMore = false;
        String continuationToken = null;
        long throughSeq = 0;
        long oldestAvailableSeq = 0;
        boolean isEmpty = false;
        int present = 0;
        for (long i = 1; nextMember(members, i); i++) {
            if (nameIs(REQUEST_ID)) {
                requestId = text();
            } else if (nameIs(EVENTS)) {
                events = events();
            } else if (nameIs(HAS_MORE)) {
                hasMore = bool();
                present |= 1;
            } else if (nameIs(CONTINUATION_TOKEN)) {
                continuationToken = text();
            } else if (nameIs(THROUGH_SEQ)) {
                throughSeq = integer();
                present |= 2;
            } else if (nameIs(OLDEST_AVAILABLE_SEQ)) {
                oldestAvailableSeq = integer();
                present |= 4;
            } else if (nameIs(IS_EMPTY)) {
                isEmpty = bool();
                present |= 8;
            } else {
                skip(0);
            }
        }
        if (present != 0b1111) {
            throw new IllegalArgumentException("a CBOR replay_response without has_more, through_seq,"
                    + " oldest_available_seq or is_empty");
        }
        if (at != in.length) {
            throw new IllegalArgumentException("bytes after the CBOR replay_response");
        }
        return new ServerFrame.ReplayResponse(requestId, events, hasMore, continuationToken, throughSeq,
                oldestAvailableSeq, isEmpty);
    }

    private List<ServerFrame.DeliveredEvent> events() {
        if (peek() == NULL) {
            return nullValue();
        }
        long size = containerHead(ARRAY, "member events of a CBOR replay_response is not an array");
        List<ServerFrame.DeliveredEvent> events = new ArrayList<>(size < 0 ? 16 : (int) Math.min(size, 10_000));
        for (long i = 0; size < 0 ? !atBreak() : i < size; i++) {
            events.add(event());
        }
        return events;
    }

    private ServerFrame.DeliveredEvent event() {
        long members = containerHead(MAP, "a CBOR replay_response and its events are maps");
        long seq = 0;
        String eventId = null;
        String deviceId = null;
        long deviceSeq = 0;
        String streamId = null;
        long streamSeq = 0;
        String eventType = null;
        String payload = null;
        Long expiresAt = null;
        long createdAt = 0;
        boolean conflict = false;
        int present = 0;
        for (long i = 0; nextMember(members, i); i++) {
            if (nameIs(TYPE)) {
                if (!EVENT_TYPE_ID.equals(text())) {
                    throw new IllegalArgumentException("an event of a CBOR replay_response whose type is not event");
                }
                present |= 1;
            } else if (nameIs(SEQ)) {
                seq = integer();
                present |= 2;
            } else if (nameIs(EVENT_ID)) {
                eventId = text();
            } else if (nameIs(DEVICE_ID)) {
                deviceId = text();
            } else if (nameIs(DEVICE_SEQ)) {
                deviceSeq = integer();
                present |= 4;
            } else if (nameIs(STREAM_ID)) {
                streamId = text();
            } else if (nameIs(STREAM_SEQ)) {
                streamSeq = integer();
                present |= 8;
            } else if (nameIs(EVENT_TYPE)) {
                eventType = text();
            } else if (nameIs(ENCRYPTED_PAYLOAD)) {
                payload = ciphertext();
            } else if (nameIs(EXPIRES_AT)) {
                expiresAt = peek() == NULL ? nullValue() : integer();
            } else if (nameIs(CREATED_AT)) {
                createdAt = integer();
                present |= 16;
            } else if (nameIs(CONFLICT)) {
                conflict = bool();
                present |= 32;
            } else {
                skip(0);
            }
        }
        if (present != 0b111111) {
            throw new IllegalArgumentException("an event of a CBOR replay_response without its type, seq, device_seq,"
                    + " stream_seq, created_at or conflict");
        }
        return new ServerFrame.DeliveredEvent(seq, eventId, deviceId, deviceSeq, streamId, streamSeq, eventType,
                payload, expiresAt, createdAt, conflict);
    }

    /** The head of a map or array ({@code major}): its number of items, or -1 for an indefinite length. */
    private long containerHead(int major, String what) {
        int head = head();
        if (head >>> 5 != major) {
            throw new IllegalArgumentException(what);
        }
        long items = (head & 0x1F) == INDEFINITE ? -1 : argument(head);
        if (items < 0 && (head & 0x1F) != INDEFINITE) {
            throw new IllegalArgumentException("a CBOR map or array longer than a replay_response can hold");
        }
        return items;
    }

    /** Reads the name of member {@code i} of a map of {@code members}; false at the map's end. */
    private boolean nextMember(long members, long i) {
        if (members < 0 ? atBreak() : i >= members) {
            return false;
        }
        int head = head();
        if (head >>> 5 != TEXT || (head & 0x1F) == INDEFINITE) {
            throw new IllegalArgumentException("a member name of a CBOR replay_response is not text");
        }
        nameLength = length(head);
        nameAt = at;
        at += nameLength;
        return true;
    }

    private boolean nameIs(byte[] name) {
        return nameLength == name.length && Arrays.equals(in, nameAt, nameAt + nameLength, name, 0, name.length);
    }

    private String text() {
        if (peek() == NULL) {
            return nullValue();
        }
        int head = head();
        if (head >>> 5 != TEXT) {
            throw wrongType(memberName(), "text");
        }
        return new String(string(head), StandardCharsets.UTF_8);
    }

    /** A ciphertext: text as it is, a byte string as the base64url text of its bytes ({@code Ciphertext}). */
    private String ciphertext() {
        if (peek() == NULL) {
            return nullValue();
        }
        int head = head();
        return switch (head >>> 5) {
            case TEXT -> new String(string(head), StandardCharsets.UTF_8);
            case BYTES -> Base64Url.encode(string(head));
            default -> throw wrongType(memberName(), "text or bytes");
        };
    }

    private long integer() {
        int head = head();
        int major = head >>> 5;
        if ((major != UNSIGNED && major != NEGATIVE) || (head & 0x1F) > 27) {
            throw wrongType(memberName(), "an integer");
        }
        long n = argument(head);
        if (n < 0) {
            throw new IllegalArgumentException("member " + memberName() + " is beyond a 64-bit integer");
        }
        return major == UNSIGNED ? n : -1 - n;
    }

    private boolean bool() {
        return switch (in[at++] & 0xFF) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw wrongType(memberName(), "a boolean");
        };
    }

    private <T> T nullValue() {
        at++;
        return null;
    }

    /** The bytes of a text or byte string whose head was read, its chunks joined when of indefinite length. */
    private byte[] string(int head) {
        if ((head & 0x1F) != INDEFINITE) {
            int length = length(head);
            byte[] bytes = Arrays.copyOfRange(in, at, at + length);
            at += length;
            return bytes;
        }
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        while (!atBreak()) {
            int chunk = head();
            if (chunk >>> 5 != head >>> 5 || (chunk & 0x1F) == INDEFINITE) {
                throw new IllegalArgumentException("a chunk of a CBOR string is not a string of its kind");
            }
            int length = length(chunk);
            chunks.write(in, at, length);
            at += length;
        }
        return chunks.toByteArray();
    }

    /** Skips one item of any kind: an unknown member's value. */
    private void skip(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("a CBOR replay_response nests deeper than " + MAX_DEPTH);
        }
        int head = head();
        int major = head >>> 5;
        boolean indefinite = (head & 0x1F) == INDEFINITE;
        switch (major) {
            case UNSIGNED, NEGATIVE -> argument(head);
            case BYTES, TEXT -> string(head);
            case ARRAY, MAP -> {
                long items = indefinite ? -1 : argument(head);
                for (long i = 0; indefinite ? !atBreak() : i < items * (major == MAP ? 2 : 1); i++) {
                    skip(depth + 1);
                }
            }
            case TAG -> {
                argument(head);
                skip(depth + 1);
            }
            default -> {
                if (indefinite) {
                    throw new IllegalArgumentException("an unexpected break in a CBOR replay_response");
                }
                argument(head); // a simple value or a float: its bytes
            }
        }
    }

    private int peek() {
        return in[at] & 0xFF;
    }

    private int head() {
        return in[at++] & 0xFF;
    }

    /** True, past it, when the next byte ends an item of indefinite length. */
    private boolean atBreak() {
        if (peek() == BREAK) {
            at++;
            return true;
        }
        return false;
    }

    /** A head's argument: its value, length or count (an unsigned 64-bit value, negative beyond 2^63). */
    private long argument(int head) {
        int info = head & 0x1F;
        if (info < 24) {
            return info;
        }
        int bytes = switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw new IllegalArgumentException("a malformed CBOR head: " + Integer.toHexString(head));
        };
        long n = 0;
        for (int i = 0; i < bytes; i++) {
            n = n << 8 | (in[at++] & 0xFF);
        }
        return n;
    }

    /** A string's length, which must fit what is left of the message. */
    private int length(int head) {
        long length = argument(head);
        if (length < 0 || length > in.length - at) {
            throw new IllegalArgumentException("a CBOR string longer than the rest of the replay_response");
        }
        return (int) length;
    }

    private String memberName() {
        return new String(in, nameAt, nameLength, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException wrongType(String member, String expected) {
        return new IllegalArgumentException("member " + member + " of a CBOR replay_response is not " + expected);
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
