package dev.pocketbridge.device.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/devices/register}. Byte lengths of the key and signature are checked after
 * decoding; {@code device_name} is checked after normalisation ({@link DeviceNames}).
 */
record RegistrationRequest(
        @NotBlank String publicKey,
        @NotNull String deviceName,
        @NotNull @Pattern(regexp = "mobile|desktop|web", message = "must be mobile, desktop or web") String deviceType,
        @NotBlank @Size(max = 128) String challenge,
        @NotBlank String signature,
        String pairingToken) {
}
