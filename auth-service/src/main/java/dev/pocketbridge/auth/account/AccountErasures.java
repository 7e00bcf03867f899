package dev.pocketbridge.auth.account;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.auth.challenge.Challenges;
import dev.pocketbridge.auth.device.DeviceSignOuts;
import dev.pocketbridge.auth.refresh.RefreshFamilies;

/**
 * What an account change does to auth-service's rows, each idempotent (a change may come twice):
 * <ul>
 * <li>a revoked device: its refresh-token families are revoked, its open challenges deleted;</li>
 * <li>a removed device: its families and refresh tokens, open challenges and pending sign-out deleted;</li>
 * <li>a deleted user: every family and refresh token of the user or of its devices, the devices'
 * challenges and pending sign-outs deleted: no row of auth-service names the user or its devices
 * any more.</li>
 * </ul>
 * One poll's changes are applied in one transaction, in order.
 */
@Service
class AccountErasures {

    private static final Logger log = LoggerFactory.getLogger(AccountErasures.class);

    private final RefreshFamilies families;
    private final Challenges challenges;
    private final DeviceSignOuts signOuts;

    AccountErasures(RefreshFamilies families, Challenges challenges, DeviceSignOuts signOuts) {
        this.families = families;
        this.challenges = challenges;
        this.signOuts = signOuts;
    }

    /** A change with its ids checked (canonical UUIDs); an unrevoked device needs nothing. */
    sealed interface Erasure {

        record RevokeDevice(UUID deviceId) implements Erasure {
        }

        record RemoveDevice(UUID deviceId) implements Erasure {
        }

        record DeleteUser(UUID userId, List<UUID> deviceIds) implements Erasure {
        }
    }

    @Transactional
    void apply(List<Erasure> erasures) {
        for (Erasure erasure : erasures) {
            switch (erasure) {
                case Erasure.RevokeDevice revoke -> {
                    int revoked = families.revokeDevice(revoke.deviceId());
                    int forgotten = challenges.forgetDevices(List.of(revoke.deviceId()));
                    log.info("device {} revoked: {} refresh-token families revoked, {} challenges deleted",
                            revoke.deviceId(), revoked, forgotten);
                }
                case Erasure.RemoveDevice remove -> {
                    List<UUID> device = List.of(remove.deviceId());
                    int deleted = families.deleteDevices(device);
                    challenges.forgetDevices(device);
                    signOuts.forgetDevices(device);
                    log.info("device {} removed: {} refresh-token families deleted", remove.deviceId(), deleted);
                }
                case Erasure.DeleteUser delete -> {
                    int deleted = families.deleteUser(delete.userId(), delete.deviceIds());
                    challenges.forgetDevices(delete.deviceIds());
                    signOuts.forgetUser(delete.userId(), delete.deviceIds());
                    log.info("user {} deleted: {} refresh-token families of it and its {} devices deleted",
                            delete.userId(), deleted, delete.deviceIds().size());
                }
            }
        }
    }
}
