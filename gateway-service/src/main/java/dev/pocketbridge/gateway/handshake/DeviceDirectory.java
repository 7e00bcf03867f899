package dev.pocketbridge.gateway.handshake;

import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.DeviceLookups;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.gateway.ServiceUrls;
import dev.pocketbridge.gateway.batching.BatchedCalls;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Finds a device's key and state for a handshake; never errors, see {@link DeviceLookup}. It asks the
 * node's {@link CredentialView} first, which holds every device once it has read
 * {@code devices.credentials}; only a device the view does not hold (registered a moment ago, changed
 * a moment ago, unknown, or any device before the view caught up) is looked up at device-service's
 * internal API. Such an answer that found the device is kept for later handshakes of it on this
 * node ({@link DeviceCacheProperties}); every account change this node hears of ({@link #changed})
 * ends it at once, and drops the device from the view until the view has its credentials from after
 * the change. An answer carries when it was known ({@link DeviceLookup.Found#askedAtNanos}), and a
 * session registered on it is closed if its device or user changed since then, exactly as a
 * session whose lookup was in flight during the change.
 *
 * <p>Lookups in flight are shared by concurrent handshakes of the device and are in the cache
 * from the start, so a change that forgets the device also drops the answer still on its way: it
 * is never kept. Only {@code Found} is kept: a device not found may be registered a moment later,
 * and an unavailable device-service is asked again.
 */
@Component
public class DeviceDirectory {

    private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);

    private final WebClient web;
    private final String lookupsUri;
    private final BatchedCalls<String, DeviceLookup> lookups;
    private final AsyncCache<String, DeviceLookup> answers;
    private final CredentialView view;

    DeviceDirectory(@Qualifier("internalWebClient") WebClient internalWebClient, ServiceUrls services,
            DeviceCacheProperties cache, CredentialView view, MeterRegistry meters) {
        this.web = internalWebClient;
        this.view = view;
        this.lookupsUri = services.device().toString().replaceAll("/+$", "") + InternalApi.DEVICE_LOOKUPS;
        this.lookups = BatchedCalls.internal("device_lookups", meters, this::askAll);
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(cache.ttl())
                .maximumSize(cache.ttl().isZero() ? 0 : cache.maxDevices())
                .buildAsync();
    }

    public Mono<DeviceLookup> lookup(String deviceId) {
        DeviceLookup.Found known = view.find(deviceId);
        if (known != null) {
            return Mono.just(known);
        }
        CompletableFuture<DeviceLookup> answer = answers.get(deviceId, (id, executor) -> ask(id).toFuture());
        return Mono.fromFuture(answer, true).doOnNext(result -> {
            if (!(result instanceof DeviceLookup.Found)) {
                answers.asMap().remove(deviceId, answer);
            }
        });
    }

    /**
     * device-service changed a device or deleted a user ({@code changeId}: its change number, empty
     * when the record had none): nothing known of the device, or of any device of the user, is used
     * again, neither a kept answer nor one still on its way (which device it is about is known only
     * once it arrives), nor the view's credentials until it has them from after the change.
     */
    public void changed(AccountChange change, OptionalLong changeId) {
        switch (change) {
            case AccountChange.DeviceRevoked revoked -> forgetDevice(revoked.deviceId(), changeId);
            case AccountChange.DeviceUnrevoked unrevoked -> forgetDevice(unrevoked.deviceId(), changeId);
            case AccountChange.DeviceRemoved removed -> forgetDevice(removed.deviceId(), changeId);
            case AccountChange.UserDeleted deleted -> {
                String userId = deleted.userId();
                answers.asMap().values().removeIf(answer -> !answer.isDone()
                        || answer.getNow(null) instanceof DeviceLookup.Found(DeviceCredentials device, long at)
                                && userId.equals(device.userId()));
                view.userDeleted(userId, deleted.deviceIds(), changeId);
            }
        }
    }

    private void forgetDevice(String deviceId, OptionalLong changeId) {
        answers.synchronous().invalidate(deviceId);
        view.changed(deviceId, changeId);
    }

    private Mono<DeviceLookup> ask(String deviceId) {
        return lookups.get(deviceId).onErrorResume(e -> {
            log.warn("device lookup failed: {}", e.toString());
            return Mono.just(new DeviceLookup.Unavailable());
        });
    }

    /** The answer as kept for the device: its type one shared string (there are three), not a copy per device. */
    static DeviceCredentials kept(DeviceCredentials device) {
        String type = device.deviceType();
        return type == null ? device : new DeviceCredentials(device.deviceId(), device.userId(), device.publicKey(),
                device.active(), device.tokensNotBefore(), type.intern());
    }

    /** One call for the lookups waiting together; every failure is {@code Unavailable} for all of them. */
    private Mono<List<DeviceLookup>> askAll(List<String> deviceIds) {
        long askedAt = System.nanoTime();
        List<DeviceLookup> unavailable = Collections.nCopies(deviceIds.size(), new DeviceLookup.Unavailable());
        return web.post().uri(lookupsUri)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Json.write(new DeviceLookups.Query(deviceIds)))
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(String.class).map(json -> Json.read(json, DeviceLookups.Answer.class)
                                .devices().stream()
                                .map(device -> device == null ? new DeviceLookup.NotFound()
                                        : (DeviceLookup) new DeviceLookup.Found(kept(device), askedAt))
                                .toList());
                    }
                    log.warn("device-service answered {} to a device lookup", response.statusCode().value());
                    return response.releaseBody().thenReturn(unavailable);
                }).onErrorResume(e -> {
                    log.warn("device lookup failed: {}", e.toString());
                    return Mono.just(unavailable);
                });
    }
}
