package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;

import io.meshfl.testing.RegistryProcess;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the function under test as its real callers send them (the local mesh's event bridge and sweep
 * timer): with a {@code function}-role token of the issuer the function trusts (RegistryTestResource gives it).
 */
final class FunctionCaller {

    private FunctionCaller() {
    }

    static RequestSpecification asFunction(RegistryProcess registry) {
        return given().header("Authorization", "Bearer " + registry.issuer().function());
    }
}
