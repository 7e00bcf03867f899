package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.device.DeviceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import tools.jackson.databind.JsonNode;

class DevicesIntegrationTest extends DeviceIntegrationTest {

    @Test
    void listsTheCallersUsersDevicesOnly() {
        TestDevice first = registered("Laptop");
        TestDevice second = pairedDevices(first, 1).getFirst();
        registered("Stranger");

        Response response = get("/api/v1/devices", second.bearer());

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("count").asInt()).isEqualTo(2);
        assertThat(body.get("is_empty").asBoolean()).isFalse();
        assertThat(body.has("message")).isFalse();
        JsonNode listedFirst = byId(body, first.deviceId());
        assertThat(listedFirst.get("device_name").asString()).isEqualTo("Laptop");
        assertThat(listedFirst.get("device_type").asString()).isEqualTo("desktop");
        assertThat(listedFirst.get("is_current").asBoolean()).isFalse();
        assertThat(listedFirst.get("is_online").asBoolean()).isFalse();
        assertThat(listedFirst.has("last_seen")).isTrue();
        assertThat(listedFirst.get("last_seen").isNull()).isTrue();
        assertThat(listedFirst.get("created_at").asLong()).isEqualTo(clock.millis());
        assertThat(byId(body, second.deviceId()).get("is_current").asBoolean()).isTrue();
    }

    private static JsonNode byId(JsonNode list, String deviceId) {
        for (JsonNode device : list.get("devices")) {
            if (device.get("device_id").asString().equals(deviceId)) {
                return device;
            }
        }
        throw new AssertionError("device " + deviceId + " not listed in " + list);
    }

    @Test
    void listingNeedsABearerToken() {
        assertThat(problemCode(get("/api/v1/devices"), 401)).isEqualTo("unauthorized");
    }

    @Test
    void renamesADeviceWithTheSameNameRules() {
        TestDevice first = registered("Laptop");
        TestDevice second = pairedDevices(first, 1).getFirst();

        Response renamed = patch("/api/v1/devices/" + second.deviceId(), new Rename("  Work Phone\u200B "),
                first.bearer());

        assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);
        assertThat(renamed.text("device_name")).isEqualTo("Work Phone");
        assertThat(renamed.text("device_id")).isEqualTo(second.deviceId());
        assertThat(byId(get("/api/v1/devices", first.bearer()).json(), second.deviceId()).get("device_name").asString())
                .isEqualTo("Work Phone");
        assertThat(patch("/api/v1/devices/" + first.deviceId(), new Rename("LAPTOP"), first.bearer()).text("device_name"))
                .isEqualTo("LAPTOP");
        assertThat(problemCode(patch("/api/v1/devices/" + first.deviceId(), new Rename("work phone"), first.bearer()),
                409)).isEqualTo("device_name_taken");
        assertThat(problemCode(patch("/api/v1/devices/" + first.deviceId(), new Rename(" \u0007 "), first.bearer()),
                400)).isEqualTo("invalid_device_name");
    }

    @Test
    void anotherUsersDeviceIsNotFoundLikeAnUnknownOne() {
        TestDevice mine = registered("Laptop");
        TestDevice theirs = registered("Laptop");

        for (String id : new String[] {theirs.deviceId(), UUID.randomUUID().toString(), "not-a-uuid"}) {
            Response response = patch("/api/v1/devices/" + id, new Rename("Mine now"), mine.bearer());
            assertThat(problemCode(response, 404)).as(id).isEqualTo("not_found");
        }
        assertThat(get("/api/v1/devices", theirs.bearer()).json().get("devices").get(0).get("device_name").asString())
                .isEqualTo("Laptop");
    }

    record Rename(String deviceName) {
    }
}
