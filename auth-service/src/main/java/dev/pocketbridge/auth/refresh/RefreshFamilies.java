package dev.pocketbridge.auth.refresh;

import java.time.Clock;
import java.util.Collection;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What account changes do to refresh tokens: a revoked device's families are revoked (kept, so a
 * token of them presented later is still recognised and refused), a removed device's and a deleted
 * user's are deleted with their tokens. Each method is idempotent and joins the caller's transaction.
 */
@Component
public class RefreshFamilies {

    private final RefreshTokenFamilyRepository families;
    private final Clock clock;

    RefreshFamilies(RefreshTokenFamilyRepository families, Clock clock) {
        this.families = families;
        this.clock = clock;
    }

    /** Every family of the device is revoked: none of its refresh tokens works any more. */
    @Transactional
    public int revokeDevice(UUID deviceId) {
        return families.revokeDevice(deviceId, clock.instant());
    }

    /** The devices' families and tokens are deleted. */
    @Transactional
    public int deleteDevices(Collection<UUID> deviceIds) {
        return deviceIds.isEmpty() ? 0 : families.deleteByDeviceIds(deviceIds);
    }

    /** The user's families and tokens, and those of the given devices, are deleted. */
    @Transactional
    public int deleteUser(UUID userId, Collection<UUID> deviceIds) {
        return families.deleteByUserId(userId) + deleteDevices(deviceIds);
    }
}
