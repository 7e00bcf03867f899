package dev.pocketbridge.common.codec;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The one JSON configuration of the wire and of Kafka payloads: {@code snake_case} names, absent
 * optional members left out, unknown members ignored so that newer peers can add fields, and a
 * member of the wrong JSON type refused rather than converted ({@code "7"} is no int64, {@code 1.5}
 * is not 1, and {@code 7} is no text).
 */
public final class Json {

    private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Applies the PocketBridge settings to a builder, so a Spring-managed mapper can share them. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return apply(builder);
    }

    /** The settings of {@link #configure}, for the builder of any format: CBOR's too ({@link Cbor}). */
    static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B apply(B builder) {
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfigDefaults(blank -> blank.setAcceptBlankAsEmpty(false))
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Reads {@code json} as {@code type}; throws {@link tools.jackson.core.JacksonException} when it cannot. */
    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
