package dev.pocketbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.pocketbridge.client.DeviceIdentity;

/**
 * The bench's registered devices, kept between runs so that thousands of devices are registered
 * once: {@code .data/bench/<server>-<server key>/identities.tsv}, one line per device
 * ({@code user index, device index, DeviceIdentity JSON}), appended as devices are registered,
 * permissions 600 (the lines hold the devices' Ed25519 seeds). Keyed by the server URL and the
 * start of its identity key, so a fresh deployment (a new {@code .data}) gets a fresh store.
 */
final class IdentityStore {

    private final Path file;
    private final Map<Integer, DeviceIdentity[]> byUser = new TreeMap<>();

    private IdentityStore(Path file) {
        this.file = file;
    }

    static Path directory(Path benchData, URI server, String serverIdentityPub) {
        String key = (server.getHost() + "_" + (server.getPort() < 0 ? 80 : server.getPort()) + server.getPath())
                .replaceAll("[^A-Za-z0-9_.-]", "_")
                + "-" + serverIdentityPub.substring(0, Math.min(12, serverIdentityPub.length()));
        return benchData.resolve(key);
    }

    static IdentityStore open(Path directory) {
        try {
            Files.createDirectories(directory);
            IdentityStore store = new IdentityStore(directory.resolve("identities.tsv"));
            if (Files.exists(store.file)) {
                List<String> lines = Files.readAllLines(store.file, StandardCharsets.UTF_8);
                for (String line : lines) {
                    String[] parts = line.split("\t", 3);
                    if (parts.length != 3) {
                        continue; // a line cut short by a killed run
                    }
                    try {
                        store.remember(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                                DeviceIdentity.fromJson(parts[2]));
                    } catch (RuntimeException e) {
                        // unreadable line: that device is registered again
                    }
                }
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("identity store " + directory + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    synchronized DeviceIdentity get(int user, int device) {
        DeviceIdentity[] devices = byUser.get(user);
        return devices == null ? null : devices[device];
    }

    synchronized int count() {
        int n = 0;
        for (DeviceIdentity[] devices : byUser.values()) {
            for (DeviceIdentity d : devices) {
                n += d == null ? 0 : 1;
            }
        }
        return n;
    }

    /** The first stored identity, to check the store still matches the server. */
    synchronized DeviceIdentity any() {
        for (DeviceIdentity[] devices : byUser.values()) {
            for (DeviceIdentity d : devices) {
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }

    synchronized void put(int user, int device, DeviceIdentity identity) {
        remember(user, device, identity);
        String line = user + "\t" + device + "\t" + identity.toJson() + "\n";
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets the store aside (the server no longer knows its devices) and starts empty. */
    synchronized void discard() {
        try {
            if (Files.exists(file)) {
                Files.move(file, file.resolveSibling("identities.stale-" + System.currentTimeMillis() + ".tsv"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moving " + file + " aside: " + e.getMessage(), e);
        }
        byUser.clear();
    }

    private void remember(int user, int device, DeviceIdentity identity) {
        if (device < 0 || device >= Options.MAX_DEVICES_PER_USER || user < 0) {
            return;
        }
        byUser.computeIfAbsent(user, k -> new DeviceIdentity[Options.MAX_DEVICES_PER_USER])[device] = identity;
    }
}
