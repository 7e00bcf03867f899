package dev.pocketbridge.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.pocketbridge.common.JsonArbitraries;
import dev.pocketbridge.common.JsonArbitraries.Mutation;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.RequestBodyFuzzing;
import dev.pocketbridge.testsupport.RequestBodyFuzzing.Encoding;
import dev.pocketbridge.testsupport.SpringTestContexts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The JSON bodies of device-service (registration, pairing, rename) and the pairing lookup, each made
 * valid for the try and then mutated, sent over real HTTP: every answer is a 2xx or a 4xx problem
 * detail with a code, never a 5xx, and a refused request stores nothing.
 */
class RequestBodyFuzzTest extends DeviceIntegrationTest {

    private static final List<String> TABLES = List.of("users", "devices", "pairing_codes", "pairing_tokens");
    private static final List<String> REGISTRATION = List.of("public_key", "device_name", "device_type", "challenge",
            "signature", "pairing_token");

    @Autowired
    JdbcClient jdbc;
    private RequestBodyFuzzing fuzzing;
    private HttpTestClient http;
    /** A device of the property's user: it makes pairing codes and is renamed. */
    private TestDevice owner;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeProperty
    void prepare() {
        SpringTestContexts.inject(this);
        resetCollaborators();
        http = new HttpTestClient(() -> port);
        fuzzing = new RequestBodyFuzzing(http, RequestBodyFuzzing.rowCounts(jdbc, TABLES));
        owner = registered("owner");
    }

    @Property
    void registrationBodies(@ForAll boolean paired, @ForAll("registrationMutations") Mutation mutation,
            @ForAll("encodings") Encoding encoding) {
        RegisterBody signed = signedRegistration(newKeys(), "device " + names.incrementAndGet(), "mobile",
                paired ? pairingToken(owner) : null);
        Map<String, Object> valid = RequestBodyFuzzing.body("public_key", signed.publicKey(), "device_name", signed.deviceName(),
                "device_type", signed.deviceType(), "challenge", signed.challenge(), "signature", signed.signature());
        if (paired) {
            valid.put("pairing_token", signed.pairingToken());
        }
        fuzzing.send("POST", "/api/v1/devices/register", mutation.apply(valid), encoding);
    }

    @Property
    void pairingBodies(@ForAll("pairingMutations") Mutation mutation, @ForAll("encodings") Encoding encoding,
            @ForAll("payloads") byte[] payload) {
        fuzzing.send("POST", "/api/v1/pairing", mutation.apply(RequestBodyFuzzing.body("encrypted_payload", Base64Url.encode(payload))),
                encoding, owner.bearer());
    }

    @Property
    void renameBodies(@ForAll("renameMutations") Mutation mutation, @ForAll("encodings") Encoding encoding) {
        fuzzing.send("PATCH", "/api/v1/devices/" + owner.deviceId(),
                mutation.apply(RequestBodyFuzzing.body("device_name", "renamed " + names.incrementAndGet())), encoding, owner.bearer());
    }

    @Property
    void pairingLookups(@ForAll("codes") String code) {
        HttpTestClient.assertSuccessOrClientProblem(
                http.get("/api/v1/pairing/" + URLEncoder.encode(code, StandardCharsets.UTF_8).replace("+", "%20")));
    }

    /**
     * Found by pairingLookups: paths that Tomcat refuses itself (an encoded NUL, slash or backslash)
     * were answered with Tomcat's HTML page, and those Spring Security's firewall refuses (an encoded
     * percent or semicolon, a dot segment, a line separator) with Boot's error JSON.
     */
    @Example
    void pathsRefusedBeforeAnyHandlerAreProblemDetails() {
        for (String code : List.of("%00", "%2F", "%5C", "%25", "%3B", ".", "..", "%E2%80%A8")) {
            Response response = http.get("/api/v1/pairing/" + code);
            assertThat(HttpTestClient.problemCode(response, 400)).as(code).isEqualTo("invalid_request");
        }
    }

    @Provide
    Arbitrary<Mutation> registrationMutations() {
        return JsonArbitraries.mutations(REGISTRATION);
    }

    @Provide
    Arbitrary<Mutation> pairingMutations() {
        return JsonArbitraries.mutations(List.of("encrypted_payload"));
    }

    @Provide
    Arbitrary<Mutation> renameMutations() {
        return JsonArbitraries.mutations(List.of("device_name"));
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
    }

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghijklmnopqrstuvwxyzILO-")
                        .ofMinLength(1).ofMaxLength(10),
                JsonArbitraries.strings().filter(code -> !code.isEmpty()));
    }

    @Provide
    Arbitrary<Encoding> encodings() {
        return RequestBodyFuzzing.encodings();
    }
}
