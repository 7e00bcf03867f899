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
 * writes, and mutations of a valid document, member by member or in its text. Values are written by {@link #write}, not
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

    /** One change to a valid JSON object, applied at test time to a body made then (with a fresh challenge, say). */
    public sealed interface Mutation {

        /** The JSON text of {@code valid} changed by this mutation. */
        String apply(Map<String, Object> valid);
    }

    /** No change: the valid body itself, so the accepting path is exercised too. */
    public record Unchanged() implements Mutation {
        @Override
        public String apply(Map<String, Object> valid) {
            return write(valid);
        }
    }

    public record Removed(String member) implements Mutation {
        @Override
        public String apply(Map<String, Object> valid) {
            Map<String, Object> copy = new LinkedHashMap<>(valid);
            copy.remove(member);
            return write(copy);
        }
    }

    /** A member set to any value, null included; a member of another name is added. */
    public record Replaced(String member, Object value) implements Mutation {
        @Override
        public String apply(Map<String, Object> valid) {
            Map<String, Object> copy = new LinkedHashMap<>(valid);
            copy.put(member, value);
            return write(copy);
        }
    }

    /** The whole body replaced by another JSON value. */
    public record Whole(Object value) implements Mutation {
        @Override
        public String apply(Map<String, Object> valid) {
            return write(value);
        }
    }

    /** The valid body's text edited, mostly no longer JSON. */
    public record Edited(TextEdit edit) implements Mutation {
        @Override
        public String apply(Map<String, Object> valid) {
            return edit.apply(write(valid));
        }
    }

    /** Any one mutation of an object whose members are named {@code members}. */
    public static Arbitrary<Mutation> mutations(List<String> members) {
        Arbitrary<Object> value = values(members);
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(members), strings());
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new Unchanged())),
                Tuple.of(2, Arbitraries.of(members).map(Removed::new)),
                Tuple.of(5, Combinators.combine(names, value).as(Replaced::new)),
                Tuple.of(1, value.map(Whole::new)),
                Tuple.of(3, textEdits().map(Edited::new)));
    }

    /** One change to a text: a character replaced, deleted or inserted (JSON punctuation mostly), or the text cut. */
    public record TextEdit(int kind, int at, String piece) {

        public String apply(String text) {
            int i = at % (text.length() + 1);
            return switch (kind) {
                case 0 -> i == text.length() ? text + piece : text.substring(0, i) + piece + text.substring(i + 1);
                case 1 -> i == text.length() ? text : text.substring(0, i) + text.substring(i + 1);
                case 2 -> text.substring(0, i) + piece + text.substring(i);
                default -> text.substring(0, i);
            };
        }
    }

    public static Arbitrary<TextEdit> textEdits() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "\\", " ", "null", "1e999", "\u0000", "\uD800", "{\"a\":"),
                Arbitraries.strings().all().ofLength(1));
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1000), piece)
                .as(TextEdit::new);
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
}
