package dev.pocketbridge.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;

class ServerIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aMissingKeyFileIsCreatedWithOwnerOnlyPermissionsAndReadBackOnTheNextStart() throws Exception {
        Path file = dir.resolve("nested").resolve("server-identity.key");
        ServerIdentity first = new ServerIdentity(new IdentityProperties(null, file));
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ServerIdentity second = new ServerIdentity(new IdentityProperties(null, file));
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aConfiguredPrivateKeyWinsOverTheFile() {
        Ed25519.KeyPair pair = Ed25519.KeyPair.generate(new SecureRandom());
        ServerIdentity identity = new ServerIdentity(
                new IdentityProperties(Base64Url.encode(pair.seed()), dir.resolve("unused.key")));
        assertThat(identity.publicKey()).isEqualTo(Base64Url.encode(pair.publicKey()));
        assertThat(dir.resolve("unused.key")).doesNotExist();
    }

    @Test
    void signaturesVerifyWithThePublishedKey() {
        ServerIdentity identity = new ServerIdentity(new IdentityProperties(null, dir.resolve("k")));
        String transcript = Transcripts.serverHello("u", "d", "n", "s", "m", 1);
        assertThat(Ed25519.verify(Base64Url.decode(identity.publicKey()).orElseThrow(), transcript,
                Base64Url.decode(identity.sign(transcript)).orElseThrow())).isTrue();
    }

    @Test
    void aMalformedKeyIsRefusedAtStart() throws Exception {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "not-a-key");
        assertThatThrownBy(() -> new ServerIdentity(new IdentityProperties(null, file)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ServerIdentity(new IdentityProperties("AAAA", file)))
                .isInstanceOf(IllegalStateException.class);
    }
}
