package dev.pocketbridge.auth.token;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code signing_keys}; the private JWK never leaves this service. */
@Entity
@Table(name = "signing_keys")
class SigningKeyRow {

    @Id
    private String kid;
    @Column(nullable = false)
    private String algorithm;
    @Column(name = "private_jwk", nullable = false)
    private String privateJwk;
    @Column(nullable = false)
    private boolean active;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected SigningKeyRow() {
    }

    String privateJwk() {
        return privateJwk;
    }
}
