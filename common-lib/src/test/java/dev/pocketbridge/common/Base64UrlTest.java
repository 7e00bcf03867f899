package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.ids.Uuids;

/**
 * {@link Base64Url}; {@link Base64Url#isValid} and {@link Base64Url#decode} also against the
 * definition of a strict decode: the JDK's url-safe decoder accepts the text, it has no padding,
 * and encoding the bytes gives back exactly the text.
 */
class Base64UrlTest {

    /** Every url-safe character, the padding, the other alphabet's two, and a few that are in none. */
    private static final String CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .\n\u00e9";

    private static boolean strictlyDecodable(String text) {
        if (text.indexOf('=') >= 0) {
            return false;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheDefinitionOnEveryTextOfUpToThreeCharacters() {
        int n = CHARACTERS.length();
        int accepted = 0;
        for (int length = 0; length <= 3; length++) {
            int count = (int) Math.pow(n, length);
            for (int k = 0; k < count; k++) {
                StringBuilder text = new StringBuilder();
                for (int i = 0, rest = k; i < length; i++, rest /= n) {
                    text.append(CHARACTERS.charAt(rest % n));
                }
                String t = text.toString();
                boolean expected = strictlyDecodable(t);
                assertThat(Base64Url.isValid(t)).as("'%s'", t).isEqualTo(expected);
                assertThat(Base64Url.decode(t).isPresent()).as("'%s'", t).isEqualTo(expected);
                accepted += expected ? 1 : 0;
            }
        }
        // "", 64 × 4 two-character texts (1 byte each: 256), 64 × 64 × 16 three-character (2 bytes: 65,536)
        assertThat(accepted).isEqualTo(1 + 256 + 65_536);
    }

    @Test
    void decodesWhatItEncodesAndRefusesEveryOneCharacterChangeTheDefinitionRefuses() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            String text = Base64Url.encode(bytes);
            assertThat(Base64Url.isValid(text)).isTrue();
            assertThat(Base64Url.decode(text)).hasValueSatisfying(decoded -> assertThat(decoded).isEqualTo(bytes));
            if (!text.isEmpty()) {
                int at = random.nextInt(text.length());
                String changed = text.substring(0, at) + CHARACTERS.charAt(random.nextInt(CHARACTERS.length()))
                        + text.substring(at + 1);
                assertThat(Base64Url.isValid(changed)).as(changed).isEqualTo(strictlyDecodable(changed));
                assertThat(Base64Url.decode(changed).isPresent()).as(changed).isEqualTo(strictlyDecodable(changed));
            }
        }
        assertThat(Base64Url.isValid(null)).isFalse();
        assertThat(Base64Url.decode(null)).isEmpty();
    }

    @Test
    void refusesCharactersBeyondLatin1AtEveryPosition() {
        // A surrogate pair is two characters but one code point: it changes the length a decoder may see.
        for (int n = 10; n <= 12; n++) {
            checkForeignCharacters(Base64Url.encode(new byte[n])); // 14, 15 and 16 characters
        }
    }

    private static void checkForeignCharacters(String text) {
        for (String foreign : new String[] {"\u20ac", "\ud83d\ude00", "\u0100", "\uffff"}) {
            for (int at = 0; at <= text.length(); at++) {
                String inserted = text.substring(0, at) + foreign + text.substring(at);
                String replaced = at < text.length() ? text.substring(0, at) + foreign + text.substring(at + 1) : inserted;
                for (String t : new String[] {inserted, replaced}) {
                    assertThat(Base64Url.isValid(t)).as("'%s'", t).isFalse();
                    assertThat(Base64Url.decode(t)).as("'%s'", t).isEmpty();
                }
            }
        }
    }

    @Test
    void strictDecoding() {
        assertThat(Base64Url.decode("AQID")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(Base64Url.decode("AQ")).isPresent();
        assertThat(Base64Url.decode("AQ==")).isEmpty();
        assertThat(Base64Url.decode("AR")).as("non-canonical trailing bits").isEmpty();
        assertThat(Base64Url.decode("A")).isEmpty();
        assertThat(Base64Url.decode("a+b/")).isEmpty();
        assertThat(Base64Url.decodeExact("AQID", 4)).isEmpty();
    }

    @Test
    void decodedLengthMatchesDecoding() {
        for (String s : new String[] {"", "AA", "AAA", "AAAA", "AAAAAA", "AAAAAAA"}) {
            assertThat(Base64Url.decodedLength(s)).isEqualTo(Base64Url.decode(s).orElseThrow().length);
        }
    }

    @Test
    void encodedLengthMatchesEncoding() {
        for (int n = 0; n <= 7; n++) {
            assertThat(Base64Url.encodedLength(n)).isEqualTo(Base64Url.encode(new byte[n]).length());
        }
    }

    @Test
    void theAsciiFormIsTheTextsBytes() {
        Random random = new Random(3);
        for (int n = 0; n <= 70; n++) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            assertThat(new String(Base64Url.encodeAscii(bytes), StandardCharsets.US_ASCII)).isEqualTo(Base64Url.encode(bytes));
        }
    }

    @Test
    void uuidsAreCanonicalAndV7() {
        assertThat(Uuids.parse("0190F5A2-7C3E-7B1A-9F00-3C2D1E0F4A5B")).isEmpty();
        assertThat(Uuids.parse("0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b")).isPresent();
        var id = Uuids.v7(java.time.Clock.systemUTC());
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(Uuids.isCanonical(id.toString())).isTrue();
    }

    @Test
    void canonicalUuidTextIsExactlyTheProtocolsPattern() {
        Pattern definition = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        String id = "0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b";
        String characters = "09af/:`@gAF-z \u00e9";
        for (int at = 0; at < id.length(); at++) {
            for (char c : characters.toCharArray()) {
                String changed = id.substring(0, at) + c + id.substring(at + 1);
                assertThat(Uuids.isCanonical(changed)).as(changed).isEqualTo(definition.matcher(changed).matches());
                assertThat(Uuids.parse(changed).isPresent()).as(changed).isEqualTo(definition.matcher(changed).matches());
            }
        }
        for (String other : new String[] {"", id.substring(1), id + "0", "0" + id, id.replace("-", ""), "{" + id + "}"}) {
            assertThat(Uuids.isCanonical(other)).as(other).isFalse();
        }
        assertThat(Uuids.isCanonical(null)).isFalse();
        assertThat(Uuids.parse(null)).isEmpty();
    }
}
