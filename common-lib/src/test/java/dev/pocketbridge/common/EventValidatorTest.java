package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.ClientFrame.SendEvent;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.RejectCode;

class EventValidatorTest {

    private static final long NOW = 1_767_225_600_000L;
    private static final String ID = "0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b";
    private final EventValidator validator = new EventValidator(8);

    private RejectCode codeOf(SendEvent event) {
        return validator.validate(event).map(EventValidator.Rejection::code).orElse(null);
    }

    @Test
    void acceptsAWellFormedEvent() {
        assertThat(codeOf(new SendEvent(ID, 1L, "clip:board", "text.v1", "AAEC", null, null))).isNull();
    }

    @Test
    void rejectsBadFields() {
        assertThat(codeOf(new SendEvent(ID.toUpperCase(), 1L, "s", "t", "AA", null, null))).isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(codeOf(new SendEvent(ID, 0L, "s", "t", "AA", null, null))).isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(codeOf(new SendEvent(ID, 1L, "has space", "t", "AA", null, null))).isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "x".repeat(65), "AA", null, null))).isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "AA==", null, null))).isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "A+/A", null, null))).isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "AA", EventValidator.MAX_EXPIRES_AT + 1, null)))
                .as("beyond any SQL timestamp").isEqualTo(RejectCode.INVALID_EVENT);
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "AA", EventValidator.MAX_EXPIRES_AT, null))).isNull();
    }

    @Test
    void rejectsOversizedPayloadBeforeDecoding() {
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "AAAAAAAAAAAA", null, null))).isEqualTo(RejectCode.PAYLOAD_TOO_LARGE);
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "AAAAAAAAAAA", null, null))).isNull();
    }

    @Test
    void anExpiryInThePastIsWellFormed() {
        // Whether it expired is the event log's to decide (a resend of a stored event is a duplicate).
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "AA", NOW - 301_000, null))).isNull();
        assertThat(codeOf(new SendEvent(ID, 1L, "s", "t", "AA", -1L, null))).isEqualTo(RejectCode.INVALID_EVENT);
    }

    @Test
    void namesAreExactlyTheProtocolsPattern() {
        Pattern definition = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
        String characters = "AZaz09._:-/;@[`{ ,+\u00e9\u0100";
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(67);
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < length; i++) {
                // Mostly allowed characters, so that long names that are accepted come up too.
                name.append(random.nextInt(8) == 0 ? characters.charAt(random.nextInt(characters.length()))
                        : characters.charAt(random.nextInt(9)));
            }
            String text = name.toString();
            assertThat(EventValidator.isName(text)).as("'%s'", text).isEqualTo(definition.matcher(text).matches());
        }
        assertThat(EventValidator.isName("x".repeat(64))).isTrue();
        assertThat(EventValidator.isName("x".repeat(65))).isFalse();
        assertThat(EventValidator.isName("")).isFalse();
        assertThat(EventValidator.isName(null)).isFalse();
    }
}
