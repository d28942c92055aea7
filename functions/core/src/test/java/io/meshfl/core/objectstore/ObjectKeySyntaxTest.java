package io.meshfl.core.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeySyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "models/m/global/1.safetensors",
            "models/credit-risk/rounds/12/updates/retail.eu.safetensors",
            "domains/domain-1/data-products/p/1.0.0/rows.csv",
            "a..b/c.d",                       // dots inside a segment are not a path step
            "100%/done",                      // a '%' that escapes nothing stays literal
            "caf\u00e9/x"})
    void keysOfTheFederationAreCanonical(String key) {
        assertThat(ObjectKeySyntax.keyProblem(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "domains/domain-1/../domain-2/data-products/p/1.0.0/rows.csv",
            "models/m/global/../rounds/1/updates/domain-2.safetensors",
            "domains/domain-1/../../models/m/global/1.safetensors",
            "domains/domain-1/./rows.csv",
            "..",
            "domains/domain-1/%2e%2e/domain-2/rows.csv",
            "domains/domain-1/%2E%2e/domain-2/rows.csv",
            "domains/domain-1/.%2E/domain-2/rows.csv",
            "domains/domain-1/%252e%252e/domain-2/rows.csv",
            "domains/domain-1%2f..%2fdomain-2/rows.csv",
            "domains//domain-1/rows.csv",
            "/domains/domain-1/rows.csv",
            "domains/domain-1/",
            "domains\\domain-1\\rows.csv",
            "domains/domain-1/rows\u0000.csv",
            "domains/domain-1/rows%00.csv",
            "domains/domain-1/rows\n.csv",
            "domains/domain-1/rows\u007f.csv",
            "domains/domain-1/rows\u0085.csv",
            ""})
    void traversalEmptySegmentsBackslashesAndControlCharactersAreRefused(String key) {
        assertThat(ObjectKeySyntax.keyProblem(key)).isPresent();
    }

    @Test
    void aKeyOverS3sLimitIsRefused() {
        assertThat(ObjectKeySyntax.keyProblem("k/" + "x".repeat(1023))).get().asString().contains("1024 UTF-8 bytes");
    }

    @Test
    void theProblemNamesTheKeyAndWhatIsWrongWithControlCharactersEscaped() {
        assertThat(ObjectKeySyntax.keyProblem("domains/domain-1/../domain-2/x")).contains(
                "object key 'domains/domain-1/../domain-2/x' has a '..' segment");
        assertThat(ObjectKeySyntax.keyProblem("a/b\u0000c")).contains(
                "object key 'a/b\\u0000c' contains the control character U+0000");
        assertThatThrownBy(() -> ObjectKeySyntax.requireCanonicalKey("a//b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "models/", "domains/domain-1/", "domains/domain-1/data-pro", "models/m/rounds/1/updates/d"})
    void listPrefixesMayBeEmptyOrEndInTheMiddleOfASegment(String prefix) {
        assertThat(ObjectKeySyntax.prefixProblem(prefix)).isEmpty();
        assertThat(ObjectKeySyntax.prefixProblem(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"domains/domain-1/../", "domains/domain-1/..", "domains/domain-1/.", "domains/domain-1/%2e%2e/",
            "/", "/domains/", "domains//", "domains\\", "domains/\u0000"})
    void listPrefixesThatStepOutOrHaveEmptySegmentsAreRefused(String prefix) {
        assertThat(ObjectKeySyntax.prefixProblem(prefix)).get().asString().contains("list prefix '");
    }
}
