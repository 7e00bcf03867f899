package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.PrivateFiles;
import dev.pocketbridge.client.crypto.ContentCipher;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;

/**
 * What the CLI keeps between runs in its state file (permissions 600): the device identity, the
 * user's content key and the last {@code device_seq} this device used (saved before each send,
 * so a crash never reuses one).
 */
record CliState(DeviceIdentity identity, byte[] contentKey, long lastDeviceSeq) {

    CliState {
        if (contentKey == null || contentKey.length != ContentCipher.KEY_BYTES) {
            throw new IllegalArgumentException("content key must be " + ContentCipher.KEY_BYTES + " bytes");
        }
    }

    CliState withLastDeviceSeq(long seq) {
        return new CliState(identity, contentKey, Math.max(lastDeviceSeq, seq));
    }

    /** The same state with the device's name as the server now has it. */
    CliState withDeviceName(String name) {
        DeviceIdentity id = identity;
        return new CliState(new DeviceIdentity(id.userId(), id.deviceId(), id.seed(), id.publicKey(), name,
                id.deviceType()), contentKey, lastDeviceSeq);
    }

    void save(Path file) throws IOException {
        DeviceIdentity id = identity;
        PrivateFiles.write(file, Json.write(new Stored(id.userId(), id.deviceId(), Base64Url.encode(id.seed()),
                id.publicKeyBase64(), id.deviceName(), id.deviceType(), Base64Url.encode(contentKey), lastDeviceSeq)));
    }

    static CliState load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("no state file " + file + " (run register or join first)");
        }
        String json = Files.readString(file, StandardCharsets.UTF_8);
        // The identity members are the same as DeviceIdentity's own JSON; the others are ignored there.
        DeviceIdentity identity = DeviceIdentity.fromJson(json);
        Stored stored = Json.read(json, Stored.class);
        byte[] key = Base64Url.decodeExact(stored.contentKey(), ContentCipher.KEY_BYTES)
                .orElseThrow(() -> new IOException(file + ": content_key is not 32 bytes of base64url"));
        return new CliState(identity, key, stored.lastDeviceSeq() == null ? 0 : stored.lastDeviceSeq());
    }

    record Stored(String userId, String deviceId, String seed, String publicKey, String deviceName, String deviceType,
            String contentKey, Long lastDeviceSeq) {
    }
}
