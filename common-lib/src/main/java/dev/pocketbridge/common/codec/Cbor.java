package dev.pocketbridge.common.codec;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonFormat;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteCapability;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.ser.std.StdSerializer;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The CBOR (RFC 8949) form of replay pages (PROTOCOL.md §3.4, {@code "encoding":"cbor"}): the same
 * members and values as the JSON form, written with {@link Json}'s settings, except that
 * ciphertext is a byte string where JSON has base64url text ({@link CiphertextSerializer}). Ids
 * stay text (Jackson would write a UUID as 16 bytes to a binary format).
 */
public final class Cbor {

    /** The media type of a CBOR body. */
    public static final String MEDIA_TYPE = "application/cbor";

    private static final CBORMapper MAPPER = Json.apply(CBORMapper.builder())
            .withConfigOverride(UUID.class, o -> o.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING)))
            .build();

    private Cbor() {
    }

    public static CBORMapper mapper() {
        return MAPPER;
    }

    /**
     * Writes a ciphertext member held as base64url text: as that text to JSON, as the bytes it encodes
     * (a byte string) to a format with binary values such as CBOR.
     */
    public static final class CiphertextSerializer extends StdSerializer<String> {

        public CiphertextSerializer() {
            super(String.class);
        }

        @Override
        public void serialize(String value, JsonGenerator generator, SerializationContext context) {
            if (generator.has(StreamWriteCapability.CAN_WRITE_BINARY_NATIVELY)) {
                byte[] bytes = Base64Url.decode(value).orElse(null);
                if (bytes != null) {
                    generator.writeBinary(bytes);
                    return;
                }
            }
            generator.writeString(value);
        }
    }

    /**
     * Reads a ciphertext member into base64url text: text as it is, a byte string (CBOR) as the text
     * that encodes it (the JDK's encoder, a compiler intrinsic); anything else is refused.
     */
    public static final class CiphertextDeserializer extends StdDeserializer<String> {

        public CiphertextDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getString();
            }
            if (parser.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT
                    && parser.getEmbeddedObject() instanceof byte[] bytes) {
                return Base64Url.encode(bytes);
            }
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
    }
}
