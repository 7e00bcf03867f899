package dev.pocketbridge.device.registry;

import java.util.Optional;
import java.util.UUID;

/**
 * What registration needs of pairing: a pairing token consumed once, in the registration's
 * transaction. Declared here and implemented by the pairing package, so that pairing depends on
 * the registry (for its caller checks) and never the other way round.
 */
public interface PairingTokenConsumer {

    /** The user the token was issued for, consuming it; empty for a malformed, unknown, used or expired token. */
    Optional<UUID> consume(String token);
}
