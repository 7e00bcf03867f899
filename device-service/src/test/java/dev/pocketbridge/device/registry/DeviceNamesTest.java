package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceNamesTest {

    private static final int MAX = 50;

    @Test
    void composesToNfc() {
        assertThat(DeviceNames.normalize("Cafe\u0301", MAX)).contains("Caf\u00E9");
    }

    @Test
    void removesControlAndFormatCharactersAnywhere() {
        assertThat(DeviceNames.normalize("My\u0000 Lap\u0007top\u200B\u200E\uFEFF", MAX)).contains("My Laptop");
        assertThat(DeviceNames.normalize("Line\nBreak\tTab", MAX)).contains("LineBreakTab");
    }

    @Test
    void composesAfterRemovingAFormatCharacterBetweenLetterAndMark() {
        assertThat(DeviceNames.normalize("e\u200D\u0301", MAX)).contains("\u00E9");
    }

    @Test
    void removesLoneSurrogatesButKeepsPairs() {
        assertThat(DeviceNames.normalize("A\uD800B\uDC00C", MAX)).contains("ABC");
        assertThat(DeviceNames.normalize("Phone \uD83D\uDCF1", MAX)).contains("Phone \uD83D\uDCF1");
    }

    @Test
    void trimsUnicodeWhitespaceButKeepsInnerSpaces() {
        assertThat(DeviceNames.normalize(" \u00A0\u2003 Work  Phone \u3000", MAX)).contains("Work  Phone");
    }

    @Test
    void countsLengthInCodePoints() {
        String fiftyEmoji = "\uD83D\uDE00".repeat(50);
        assertThat(fiftyEmoji.length()).isEqualTo(100);
        assertThat(DeviceNames.normalize(fiftyEmoji, MAX)).contains(fiftyEmoji);
        assertThat(DeviceNames.normalize(fiftyEmoji + "x", MAX)).isEmpty();
        assertThat(DeviceNames.normalize("e\u0301".repeat(50), MAX)).contains("\u00E9".repeat(50));
        assertThat(DeviceNames.normalize("x".repeat(51), MAX)).isEmpty();
    }

    @Test
    void refusesWhatIsEmptyAfterNormalisation() {
        assertThat(DeviceNames.normalize("", MAX)).isEmpty();
        assertThat(DeviceNames.normalize(" \t\u200B\u0000 ", MAX)).isEmpty();
        assertThat(DeviceNames.normalize("\uD800", MAX)).isEmpty();
        assertThat(DeviceNames.normalize(null, MAX)).isEmpty();
    }

    @Test
    void keysCompareCaseInsensitively() {
        assertThat(DeviceNames.key("Laptop")).isEqualTo(DeviceNames.key("LAPTOP"));
        assertThat(DeviceNames.key("Stra\u00DFe")).isEqualTo(DeviceNames.key("STRASSE"));
        assertThat(DeviceNames.key("\u00C9cran")).isEqualTo(DeviceNames.key("\u00E9cran"));
        assertThat(DeviceNames.key("Laptop")).isNotEqualTo(DeviceNames.key("Laptop 2"));
    }
}
