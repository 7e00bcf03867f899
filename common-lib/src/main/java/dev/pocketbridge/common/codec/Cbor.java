package dev.pocketbridge.common.codec;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonFormat;

import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The CBOR (RFC 8949) form of replay pages (PROTOCOL.md §3.4, {@code "encoding":"cbor"}): the same
 * members and values as the JSON form, written with {@link Json}'s settings, except that
 * ciphertext is a byte string where JSON has base64url text ({@link Ciphertext}). Ids stay text
 * (Jackson would write a UUID as 16 bytes to a binary format).
 *
 * <p>Jackson's CBOR format is an optional dependency of common-lib: event-service (which writes
 * pages) and device-client (which reads them) declare it; the other services do not have it, so
 * Spring registers no CBOR converter for their REST APIs, which are JSON only.
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
}
