package io.meshfl.registry.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The registry on AWS Lambda behind an API Gateway HTTP API. In this build RestAssured talks to Quarkus's mock
 * Lambda event server, which turns each HTTP request into an API Gateway (payload 2.0) event and runs it through
 * the real Lambda runtime loop and the quarkus-amazon-lambda-http handler: the same path as in AWS.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
@Tag("lambda")
class HttpApiLambdaTest {

    @Test
    void governanceEnrolsADomainThroughTheLambdaHandlerAndTheFunctionReadsItBack() {
        given().auth().oauth2(Tokens.governance()).contentType(ContentType.JSON)
                .body("""
                        {"id": "lambda-retail", "name": "Retail", "owner": "retail@example.org"}
                        """)
                .when().post("/domains")
                .then().statusCode(201);

        given().auth().oauth2(Tokens.function())
                .when().get("/domains/lambda-retail")
                .then().statusCode(200)
                .body("owner", equalTo("retail@example.org"));
    }

    @Test
    void requestWithoutAValidTokenIsUnauthorized() {
        given().auth().oauth2("not-a-token")
                .when().get("/domains")
                .then().statusCode(401);
    }
}
