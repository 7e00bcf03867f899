package dev.pocketbridge.web;

/**
 * Names of the security schemes of the REST API description, for an operation that states its own
 * with {@code @SecurityRequirement(name = ...)} (the others get theirs by rule, {@link PublicEndpoints}).
 */
public final class ApiSecuritySchemes {

    /** A device's access token. */
    public static final String DEVICE_BEARER = "deviceBearer";
    /** An admin's access token ({@code roles ["admin"]}). */
    public static final String ADMIN_BEARER = "adminBearer";
    /** The deployment's admin credentials, HTTP Basic. */
    public static final String ADMIN_BASIC = "adminBasic";

    private ApiSecuritySchemes() {
    }
}
