package dev.pocketbridge.gateway.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;

/** The deployment's Ed25519 key pair, which signs every {@code server_hello} (PROTOCOL §3.1). */
@Component
public class ServerIdentity {

    private static final Logger log = LoggerFactory.getLogger(ServerIdentity.class);

    private final Ed25519.KeyPair keyPair;
    private final String publicKeyText;

    @Autowired
    public ServerIdentity(IdentityProperties properties) {
        this(load(properties, new SecureRandom()));
    }

    ServerIdentity(Ed25519.KeyPair keyPair) {
        this.keyPair = keyPair;
        this.publicKeyText = Base64Url.encode(keyPair.publicKey());
    }

    /** {@code server_identity_pub}: the public key as base64url. */
    public String publicKey() {
        return publicKeyText;
    }

    /** Signs a transcript; returns the signature as base64url. */
    public String sign(String transcript) {
        return Base64Url.encode(keyPair.sign(transcript));
    }

    static Ed25519.KeyPair load(IdentityProperties properties, SecureRandom random) {
        if (properties.privateKey() != null && !properties.privateKey().isBlank()) {
            return Ed25519.KeyPair.fromSeed(decodeSeed(properties.privateKey().strip(), "private-key"));
        }
        Path file = properties.keyFile().toAbsolutePath();
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            return create(file, random);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the server identity key " + file, e);
        }
    }

    private static Ed25519.KeyPair read(Path file) throws IOException {
        return Ed25519.KeyPair.fromSeed(decodeSeed(Files.readString(file, StandardCharsets.US_ASCII).strip(),
                file.toString()));
    }

    /** Writes a new seed to a temporary file first, so no node ever reads half a key. */
    private static Ed25519.KeyPair create(Path file, SecureRandom random) throws IOException {
        Ed25519.KeyPair generated = Ed25519.KeyPair.generate(random);
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            restrict(temp);
            Files.writeString(temp, Base64Url.encode(generated.seed()), StandardCharsets.US_ASCII);
            try {
                // A hard link appears atomically and fails if the file exists (a rename would
                // replace it), so a node that loses the race reads the winner's key.
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            log.info("generated a new server identity key in {}", file);
            return generated;
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void restrict(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
    }

    private static byte[] decodeSeed(String text, String source) {
        return Base64Url.decodeExact(text, Ed25519.SEED_BYTES).orElseThrow(() -> new IllegalStateException(
                source + " must hold a base64url (unpadded) " + Ed25519.SEED_BYTES + "-byte Ed25519 seed"));
    }
}
