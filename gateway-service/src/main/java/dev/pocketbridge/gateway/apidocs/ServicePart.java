package dev.pocketbridge.gateway.apidocs;

import java.time.Instant;

import io.swagger.v3.oas.models.OpenAPI;

/**
 * One service's part of the description as last fetched.
 *
 * @param service the id of the service's route
 * @param description the last part that could be read, null when none ever could
 * @param fetchedAt when {@code description} was fetched, null with it
 * @param problem why the last fetch failed, null when it did not
 */
record ServicePart(String service, OpenAPI description, Instant fetchedAt, String problem) {

    String status() {
        return description == null ? "missing" : problem != null ? "stale" : "ok";
    }
}
