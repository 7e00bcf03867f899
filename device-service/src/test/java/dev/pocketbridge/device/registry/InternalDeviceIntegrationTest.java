package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.databind.JsonNode;

class InternalDeviceIntegrationTest extends DeviceIntegrationTest {

    @Test
    void answersTheCredentialsOfAKnownDevice() {
        TestDevice device = registered("Laptop");

        Response response = get("/internal/v1/devices/" + device.deviceId());

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("device_id").asString()).isEqualTo(device.deviceId());
        assertThat(body.get("user_id").asString()).isEqualTo(device.userId());
        assertThat(body.get("public_key").asString()).hasSize(43);
        assertThat(body.get("active").asBoolean()).isTrue();
    }

    @Test
    void answersNotFoundForUnknownAndNonCanonicalIds() {
        TestDevice device = registered("Laptop");

        for (String id : new String[] {UUID.randomUUID().toString(), device.deviceId().toUpperCase(), "nope",
                "%7B" + device.deviceId() + "%7D"}) {
            assertThat(problemCode(get("/internal/v1/devices/" + id), 404)).as(id).isEqualTo("not_found");
        }
    }
}
