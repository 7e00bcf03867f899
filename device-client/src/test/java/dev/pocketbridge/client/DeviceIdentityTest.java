package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;

class DeviceIdentityTest {

    @TempDir
    Path dir;

    private final DeviceIdentity identity = DeviceIdentity.of("0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b",
            "0190f5a2-7c3e-7b1a-9f00-6e5d4c3b2a19", DeviceIdentity.newKeyPair(), "Anna's laptop", "desktop");

    @Test
    void saveAndLoadRoundTrip() throws Exception {
        Path file = dir.resolve("nested/identity.json");

        identity.save(file);
        DeviceIdentity loaded = DeviceIdentity.load(file);

        assertThat(loaded).isEqualTo(identity);
        assertThat(loaded.seed()).isEqualTo(identity.seed());
        assertThat(loaded.sign("x")).isEqualTo(identity.sign("x"));
    }

    @Test
    void savedFileIsReadableByItsOwnerOnly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("identity.json");

        identity.save(file);
        identity.save(file); // replacing keeps the permissions

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesAPublicKeyThatIsNotTheSeeds() {
        String json = identity.toJson().replace(identity.publicKeyBase64(),
                Base64Url.encode(DeviceIdentity.newKeyPair().publicKey()));

        assertThatThrownBy(() -> DeviceIdentity.fromJson(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsTheSeed() {
        assertThat(identity.toString()).doesNotContain(Base64Url.encode(identity.seed()))
                .contains(identity.deviceId());
    }

    @Test
    void signaturesVerifyWithThePublicKey() {
        byte[] signature = Base64Url.decode(identity.sign("pocketbridge/v1/token\na\nb")).orElseThrow();

        assertThat(Ed25519.verify(identity.publicKey(), "pocketbridge/v1/token\na\nb", signature)).isTrue();
        assertThat(Ed25519.verify(identity.publicKey(), "pocketbridge/v1/token\na\nc", signature)).isFalse();
    }
}
