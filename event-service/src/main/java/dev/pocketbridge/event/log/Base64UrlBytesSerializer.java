package dev.pocketbridge.event.log;

import dev.pocketbridge.common.codec.Base64Url;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteCapability;
import tools.jackson.core.json.UTF8JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes bytes as the wire's base64url text ({@link Base64Url}) with no string in between: the JDK's
 * encoder (a compiler intrinsic) makes the text's ASCII bytes, and the generator copies them into
 * its output as a JSON string unescaped, which base64url never needs. Jackson's own base64 writer
 * ({@code writeBinary}) took a fifth of event-service's CPU in a catch-up (docs/performance.md). A
 * generator of characters (writing to a {@code String}) gets the text as a string, and a generator
 * of a format with binary values (CBOR) the bytes.
 */
final class Base64UrlBytesSerializer extends StdSerializer<byte[]> {

    Base64UrlBytesSerializer() {
        super(byte[].class);
    }

    @Override
    public void serialize(byte[] value, JsonGenerator generator, SerializationContext context) {
        if (generator.has(StreamWriteCapability.CAN_WRITE_BINARY_NATIVELY)) {
            generator.writeBinary(value); // a CBOR replay page: the bytes themselves (§3.4)
        } else if (generator instanceof UTF8JsonGenerator) {
            byte[] text = Base64Url.encodeAscii(value);
            generator.writeRawUTF8String(text, 0, text.length);
        } else {
            generator.writeString(Base64Url.encode(value));
        }
    }
}
