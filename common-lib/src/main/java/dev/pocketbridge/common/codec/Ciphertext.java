package dev.pocketbridge.common.codec;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteCapability;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * A ciphertext member held as base64url text ({@code encrypted_payload}): that text in JSON, the
 * bytes it encodes (a byte string) in a format with binary values such as the CBOR of replay pages
 * ({@link Cbor}). Needs no CBOR library: JSON alone is written and read where none is present.
 */
public final class Ciphertext {

    private Ciphertext() {
    }

    /** Writes the text to JSON, the bytes to a generator that takes bytes. */
    public static final class Serializer extends StdSerializer<String> {

        public Serializer() {
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
     * Reads text as it is, a byte string as the text that encodes it (the JDK's encoder, a compiler
     * intrinsic); anything else is refused.
     */
    public static final class Deserializer extends StdDeserializer<String> {

        public Deserializer() {
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
