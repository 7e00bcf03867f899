package dev.pocketbridge.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * device-service's internal API as the other services use it: device lookups and sign-outs, with
 * the calling service's service token. device-service owns devices; no other service keeps a copy.
 * Logins and refreshes look a device up every time ({@link #find}); bearer-token checks may reuse an
 * answer for {@code cacheTtl} ({@link #findRecent}, {@link #requireAdmitted}; at most a second, by
 * the service clock, so a revoked, removed or signed-out device's tokens stop working within a
 * second). A failure is never cached.
 */
public class DeviceDirectory {

    private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);
    private static final int MAX_CACHED_DEVICES = 100_000;

    private final RestClient client;
    private final Duration retryAfter;
    private final Cache<String, Optional<DeviceCredentials>> recent;

    /**
     * @param client     a client of device-service carrying the service token ({@link InternalClients#restClient})
     * @param cacheTtl   how long {@link #findRecent} reuses an answer (0: never)
     * @param retryAfter {@code Retry-After} of the {@code 503} while device-service cannot answer
     */
    public DeviceDirectory(RestClient client, Duration cacheTtl, Duration retryAfter, Clock clock) {
        this.client = client;
        this.retryAfter = retryAfter;
        this.recent = Caffeine.newBuilder()
                .expireAfterWrite(cacheTtl)
                .maximumSize(cacheTtl.isZero() ? 0 : MAX_CACHED_DEVICES)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /**
     * The device's credentials as device-service says now, or empty when it does not know the device
     * (never registered, removed, or its user deleted).
     *
     * @throws ApiException {@code 503 unavailable} when device-service cannot answer
     */
    public Optional<DeviceCredentials> find(String deviceId) {
        Optional<DeviceCredentials> found = lookUp(deviceId);
        recent.put(deviceId, found);
        return found;
    }

    /** The device's credentials when device-service knows it and it is active (not revoked). */
    public Optional<DeviceCredentials> findActive(String deviceId) {
        return find(deviceId).filter(DeviceCredentials::active);
    }

    /**
     * Like {@link #find}, but an answer up to {@code cacheTtl} old will do.
     *
     * @throws ApiException {@code 503 unavailable} when device-service cannot answer
     */
    public Optional<DeviceCredentials> findRecent(String deviceId) {
        return recent.get(deviceId, this::lookUp);
    }

    /**
     * Whether a device token still counts by device-service's word ({@link DeviceCredentials#admits}:
     * the device exists, belongs to the token's user, is active, and the token was issued after its
     * last sign-out), whatever the token's {@code exp}.
     *
     * @throws ApiException {@code 401 unauthorized} when it does not; {@code 503 unavailable} when
     *     device-service cannot say
     */
    public DeviceCaller requireAdmitted(DeviceCaller caller) {
        boolean admitted = findRecent(caller.deviceId().toString())
                .filter(device -> device.admits(caller.userId().toString(), caller.issuedAt()))
                .isPresent();
        if (!admitted) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED,
                    "the token's device is no longer active");
        }
        return caller;
    }

    /**
     * Asks device-service to end every access token of the device issued before now
     * ({@link InternalApi#DEVICE_SIGN_OUT}).
     *
     * @return true once device-service confirmed it, or said the device is gone (404: no token of it
     *     counts anyway); false when it could not be reached or answered otherwise (retry later)
     */
    public boolean signOut(String deviceId) {
        try {
            boolean done = client.post().uri(InternalApi.DEVICE_SIGN_OUT, deviceId).exchange((request, response) -> {
                int status = response.getStatusCode().value();
                if (response.getStatusCode().is2xxSuccessful() || status == HttpStatus.NOT_FOUND.value()) {
                    return true;
                }
                log.warn("device-service answered {} to the sign-out of device {}", status, deviceId);
                return false;
            });
            if (done) {
                recent.invalidate(deviceId);
            }
            return done;
        } catch (RestClientException e) {
            log.warn("device-service unreachable for the sign-out of device {}: {}", deviceId, e.getMessage());
            return false;
        }
    }

    private Optional<DeviceCredentials> lookUp(String deviceId) {
        try {
            return client.get().uri(InternalApi.DEVICE, deviceId).exchange((request, response) -> {
                if (response.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                    return Optional.<DeviceCredentials>empty();
                }
                if (!response.getStatusCode().is2xxSuccessful()) {
                    log.warn("device-service answered {} to a device lookup", response.getStatusCode().value());
                    throw unavailable();
                }
                return Optional.ofNullable(response.bodyTo(DeviceCredentials.class));
            });
        } catch (RestClientException e) {
            log.warn("device-service unreachable: {}", e.getMessage());
            throw unavailable();
        }
    }

    private ApiException unavailable() {
        return ApiException.unavailable("the device directory is unavailable, retry later", retryAfter);
    }
}
