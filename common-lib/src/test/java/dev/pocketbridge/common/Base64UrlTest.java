package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.ids.Uuids;

class Base64UrlTest {

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
    void uuidsAreCanonicalAndV7() {
        assertThat(Uuids.parse("0190F5A2-7C3E-7B1A-9F00-3C2D1E0F4A5B")).isEmpty();
        assertThat(Uuids.parse("0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b")).isPresent();
        var id = Uuids.v7(java.time.Clock.systemUTC());
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(Uuids.isCanonical(id.toString())).isTrue();
    }
}
