package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ClientFrame.SendEvent;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.RejectCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The stateless event checks accept exactly what PROTOCOL.md §3.2 allows: every valid event passes,
 * an event with one bad member is refused with that member's code, and on any event the validator
 * agrees with the rules restated here independently of its code.
 */
class EventValidatorFuzzTest {

    private static final long NOW = 1_767_225_600_000L;
    private static final long END_OF_9999 = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** The deployment's limit: the largest payload (expiry is the event log's, not the validator's). */
    record Limits(long maxPayloadBytes) {

        EventValidator validator() {
            return new EventValidator(maxPayloadBytes);
        }
    }

    record Case(Limits limits, SendEvent event, RejectCode expected) {
    }

    @Property
    void everyEventTheProtocolAllowsIsAccepted(@ForAll("validEvents") Case c) {
        assertThat(c.limits().validator().validate(c.event())).isEmpty();
    }

    @Property
    void anEventWithOneBadMemberIsRefusedWithItsCode(@ForAll("oneBadMember") Case c) {
        assertThat(c.limits().validator().validate(c.event()).map(EventValidator.Rejection::code))
                .hasValue(c.expected());
    }

    @Property
    void theValidatorAgreesWithTheProtocolOnAnyEvent(@ForAll("limits") Limits limits, @ForAll("anyEvents") SendEvent event) {
        Set<RejectCode> broken = violations(event, limits);
        Optional<RejectCode> code = limits.validator().validate(event).map(EventValidator.Rejection::code);
        if (broken.isEmpty()) {
            assertThat(code).isEmpty();
        } else {
            assertThat(code).isPresent();
            assertThat(code.get()).isIn(broken);
        }
    }

    // ---- §3.2, restated ------------------------------------------------------------------------

    private static Set<RejectCode> violations(SendEvent e, Limits limits) {
        Set<RejectCode> broken = EnumSet.noneOf(RejectCode.class);
        if (!isLowercaseUuid(e.eventId()) || e.deviceSeq() == null || e.deviceSeq() < 1
                || !isName(e.streamId()) || !isName(e.eventType())
                || e.encryptedPayload() == null || !isCanonicalBase64Url(e.encryptedPayload())
                || e.baseStreamSeq() != null && e.baseStreamSeq() < 0
                || e.expiresAt() != null && (e.expiresAt() < 0 || e.expiresAt() > END_OF_9999)) {
            broken.add(RejectCode.INVALID_EVENT);
        }
        // A text that would decode to more than the limit may be refused without decoding it.
        if (e.encryptedPayload() != null && e.encryptedPayload().length() * 3L / 4 > limits.maxPayloadBytes()) {
            broken.add(RejectCode.PAYLOAD_TOO_LARGE);
        }
        return broken;
    }

    private static boolean isLowercaseUuid(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : "0123456789abcdef".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isName(String text) {
        return text != null && !text.isEmpty() && text.length() <= 64
                && text.chars().allMatch(c -> NAME_CHARS.indexOf(c) >= 0);
    }

    /** RFC 4648 §5 without padding, and the unused low bits of the last character zero (one text per byte string). */
    private static boolean isCanonicalBase64Url(String text) {
        if (text.length() % 4 == 1 || !text.chars().allMatch(c -> BASE64URL.indexOf(c) >= 0)) {
            return false;
        }
        int unusedBits = switch (text.length() % 4) {
            case 2 -> 4;
            case 3 -> 2;
            default -> 0;
        };
        return text.isEmpty() || (BASE64URL.indexOf(text.charAt(text.length() - 1)) & ((1 << unusedBits) - 1)) == 0;
    }

    // ---- generators ----------------------------------------------------------------------------

    @Provide
    Arbitrary<Limits> limits() {
        return Arbitraries.longs().between(0, 64).map(Limits::new);
    }

    private static Arbitrary<String> uuids() {
        return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()).toString());
    }

    private static Arbitrary<String> names() {
        return Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(64);
    }

    private static Arbitrary<String> payloads(long maxBytes) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize((int) maxBytes).map(Base64Url::encode);
    }

    private static Arbitrary<Long> expiries(Limits limits) {
        return Arbitraries.longs().between(0, END_OF_9999).injectNull(0.3);
    }

    private static Arbitrary<SendEvent> validEvents(Limits limits) {
        return Combinators.combine(uuids(), Arbitraries.longs().greaterOrEqual(1), names(), names(),
                payloads(limits.maxPayloadBytes()), expiries(limits),
                Arbitraries.longs().greaterOrEqual(0).injectNull(0.3)).as(SendEvent::new);
    }

    @Provide
    Arbitrary<Case> validEvents() {
        return limits().flatMap(limits -> validEvents(limits).map(event -> new Case(limits, event, null)));
    }

    @Provide
    Arbitrary<Case> oneBadMember() {
        return limits().flatMap(limits -> validEvents(limits).flatMap(event -> Arbitraries.oneOf(
                badEventIds().map(v -> new Case(limits, with(event, 0, v), RejectCode.INVALID_EVENT)),
                Arbitraries.longs().lessOrEqual(0).injectNull(0.1)
                        .map(v -> new Case(limits, with(event, 1, v), RejectCode.INVALID_EVENT)),
                badNames().map(v -> new Case(limits, with(event, 2, v), RejectCode.INVALID_EVENT)),
                badNames().map(v -> new Case(limits, with(event, 3, v), RejectCode.INVALID_EVENT)),
                badPayloads(event.encryptedPayload(), limits.maxPayloadBytes())
                        .map(v -> new Case(limits, with(event, 4, v), RejectCode.INVALID_EVENT)),
                Arbitraries.bytes().array(byte[].class).ofMinSize((int) limits.maxPayloadBytes() + 1)
                        .ofMaxSize((int) limits.maxPayloadBytes() + 100).map(Base64Url::encode)
                        .map(v -> new Case(limits, with(event, 4, v), RejectCode.PAYLOAD_TOO_LARGE)),
                Arbitraries.oneOf(Arbitraries.longs().lessOrEqual(-1), Arbitraries.longs().greaterOrEqual(END_OF_9999 + 1))
                        .map(v -> new Case(limits, with(event, 5, v), RejectCode.INVALID_EVENT)),
                Arbitraries.longs().lessOrEqual(-1)
                        .map(v -> new Case(limits, with(event, 6, v), RejectCode.INVALID_EVENT)))));
    }

    @Provide
    Arbitrary<SendEvent> anyEvents() {
        Arbitrary<String> text = JsonArbitraries.strings().injectNull(0.05);
        Arbitrary<Long> number = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-2, 2),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, END_OF_9999, END_OF_9999 + 1)).injectNull(0.2);
        Arbitrary<Long> time = Arbitraries.oneOf(number, Arbitraries.longs().between(NOW - 700_000, NOW + 1));
        return Combinators.combine(
                Arbitraries.oneOf(uuids(), badEventIds(), text),
                number,
                Arbitraries.oneOf(names(), badNames(), text),
                Arbitraries.oneOf(names(), badNames(), text),
                Arbitraries.oneOf(payloads(80), payloads(8).flatMap(p -> badPayloads(p, Long.MAX_VALUE)), text),
                time,
                number).as(SendEvent::new);
    }

    private static Arbitrary<String> badEventIds() {
        return Arbitraries.oneOf(
                uuids().map(id -> id.toUpperCase()),
                uuids().map(id -> "{" + id + "}"),
                uuids().map(id -> id + "\n"),
                uuids().map(id -> id.replace("-", "")),
                uuids().flatMap(id -> Combinators.combine(Arbitraries.integers().between(0, 35),
                        Arbitraries.chars().all()).as((i, c) -> id.substring(0, i) + c + id.substring(i + 1)))
                        .filter(id -> !isLowercaseUuid(id)),
                Arbitraries.just(null));
    }

    private static Arbitrary<String> badNames() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(65).ofMaxLength(100),
                names().flatMap(name -> Combinators.combine(Arbitraries.integers().between(0, name.length() - 1),
                        Arbitraries.chars().all().filter(c -> NAME_CHARS.indexOf(c) < 0))
                        .as((i, c) -> name.substring(0, i) + c + name.substring(i + 1))),
                Arbitraries.just(null));
    }

    /** Not canonical base64url, and not so long that the size rule could apply first. */
    private static Arbitrary<String> badPayloads(String valid, long maxBytes) {
        Arbitrary<String> replaced = valid.isEmpty() ? Arbitraries.just("=")
                : Combinators.combine(Arbitraries.integers().between(0, valid.length() - 1),
                        Arbitraries.chars().all().filter(c -> BASE64URL.indexOf(c) < 0))
                        .as((i, c) -> valid.substring(0, i) + c + valid.substring(i + 1));
        // One character past a whole group (length % 4 == 1) can never be base64.
        Arbitrary<String> dangling = Arbitraries.strings().withChars(BASE64URL).ofLength((5 - valid.length() % 4) % 4)
                .map(valid::concat);
        Arbitrary<String> padded = Arbitraries.just(valid.length() % 4 == 2 ? valid + "==" : valid + "=");
        Arbitrary<String> lastBitsSet = valid.length() % 4 == 0 ? Arbitraries.just(null)
                : Arbitraries.of(BASE64URL.toCharArray())
                        .map(c -> valid.substring(0, valid.length() - 1) + c);
        return Arbitraries.oneOf(replaced, dangling, padded, lastBitsSet, Arbitraries.just(null))
                .filter(v -> v == null || !isCanonicalBase64Url(v) && v.length() * 3L / 4 <= maxBytes);
    }

    private static SendEvent with(SendEvent e, int member, Object value) {
        return new SendEvent(
                member == 0 ? (String) value : e.eventId(),
                member == 1 ? (Long) value : e.deviceSeq(),
                member == 2 ? (String) value : e.streamId(),
                member == 3 ? (String) value : e.eventType(),
                member == 4 ? (String) value : e.encryptedPayload(),
                member == 5 ? (Long) value : e.expiresAt(),
                member == 6 ? (Long) value : e.baseStreamSeq());
    }
}
