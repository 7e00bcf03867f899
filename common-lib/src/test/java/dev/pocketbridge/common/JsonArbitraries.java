package dev.pocketbridge.common;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Hostile JSON for the property tests over the parsers (frames here, request bodies in the services,
 * which get this class from common-lib's test jar): any JSON value, number spellings no Java type
 * writes, and text-level mutations of a valid document. Values are written by {@link #write}, not
 * by the wire mapper, so the generator never shares a bug with the code under test.
 */
public final class JsonArbitraries {

    private JsonArbitraries() {
    }

    /** A JSON token written verbatim, for numbers such as {@code 1e400} or {@code -0.0}. */
    public record Raw(String text) {
    }

    /** Text a client may put in a string: empty, plain, any UTF-16 (lone surrogates and controls included), JSON-ish. */
    public static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars("{}[]\":,\\ ").ofMaxLength(8),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20),
                Arbitraries.of("", " ", "null", "true", "event", "register", "token",
                        "0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b", "AAEC", "AA==", "\u0000", "\uD800", "\u202E"));
    }

    /** Numbers at and past the edges of int and long, fractions, exponents and negative zero. */
    public static Arbitrary<Object> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-2, 1001),
                Arbitraries.of(BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE),
                        BigInteger.TEN.pow(40)),
                Arbitraries.of(new Raw("1.5"), new Raw("-0.0"), new Raw("2.0"), new Raw("1e2"), new Raw("1E400"),
                        new Raw("-1e-400"), new Raw("2147483648"), new Raw("0.1e1")));
    }

    /** Any scalar: string, number, boolean or null. */
    public static Arbitrary<Object> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, strings()),
                Tuple.of(3, numbers()),
                Tuple.of(1, Arbitraries.of(true, false)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    /** Any JSON value up to three levels deep whose object members are mostly named from {@code names}. */
    public static Arbitrary<Object> values(List<String> names) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(names), strings());
        return Arbitraries.recursive(JsonArbitraries::scalars, inner -> Arbitraries.oneOf(
                inner,
                inner.list().ofMaxSize(4).map(list -> (Object) list),
                Arbitraries.maps(keys, inner).ofMaxSize(4).map(map -> (Object) map)), 0, 3);
    }

    /**
     * {@code valid} with one member changed: removed, set to any value (null included), or joined by
     * an unknown member; or the whole body replaced by another JSON value.
     */
    public static Arbitrary<Object> memberMutations(Map<String, Object> valid) {
        List<String> names = List.copyOf(valid.keySet());
        Arbitrary<Object> value = values(names);
        Arbitrary<Object> removed = Arbitraries.of(names).map(name -> without(valid, name));
        Arbitrary<Object> replaced = Combinators.combine(Arbitraries.of(names), value)
                .as((name, v) -> with(valid, name, v));
        Arbitrary<Object> added = Combinators.combine(strings(), value).as((name, v) -> with(valid, name, v));
        return Arbitraries.oneOf(removed, replaced, added, value);
    }

    /** {@code json} truncated, or with one character deleted, replaced or inserted (JSON punctuation mostly). */
    public static Arbitrary<String> textMutations(String json) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, json.length());
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "\\", " ", "null", "1e999", "\u0000", "\uD800", "{\"a\":"),
                Arbitraries.strings().all().ofLength(1));
        return Combinators.combine(Arbitraries.integers().between(0, 3), at, piece).as((op, i, p) -> switch (op) {
            case 0 -> json.substring(0, i);
            case 1 -> i == json.length() ? json : json.substring(0, i) + json.substring(i + 1);
            case 2 -> i == json.length() ? json + p : json.substring(0, i) + p + json.substring(i + 1);
            default -> json.substring(0, i) + p + json.substring(i);
        });
    }

    /** JSON text of maps, lists, strings, numbers, booleans, null and {@link Raw} tokens. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Raw raw -> out.append(raw.text());
            case String s -> quote(s, out);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> member : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(String.valueOf(member.getKey()), out);
                    out.append(':');
                    write(member.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static Map<String, Object> without(Map<String, Object> map, String name) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.remove(name);
        return copy;
    }

    private static Map<String, Object> with(Map<String, Object> map, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(name, value);
        return copy;
    }
}
