package io.meshfl.vertical.psi;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.testing.S3ProxyServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same exchange against a real S3 server (S3Proxy on loopback) through core's S3 adapter, as deployed. */
class PsiOverS3Test {

    private static S3ObjectStore store;

    @BeforeAll
    static void connect() {
        S3ProxyServer.Endpoint s3 = S3ProxyServer.shared();
        s3.ensureBucket("vertical-test");
        store = S3ObjectStore.connect(new S3Settings("vertical-test", s3.region(), Optional.of(s3.uri()), true,
                Optional.of(s3.accessKey()), Optional.of(s3.secretKey())));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void twoPartiesAlignTheirCommonKeysThroughS3() {
        String sessionId = "s3-" + System.nanoTime();
        PsiSession session = new PsiSession("churn", sessionId, List.of("alpha", "beta"));
        Map<String, List<String>> keys = Map.of(
                "alpha", PrivateSetIntersectionTest.shuffled(PrivateSetIntersectionTest.ids(0, 30), 1),
                "beta", PrivateSetIntersectionTest.shuffled(PrivateSetIntersectionTest.ids(20, 50), 2));

        Map<String, EntityAlignment> alignments = PsiRun.untilAligned(store, PsiRun.parties(session, keys, 3));
        Map<String, List<String>> aligned = PsiRun.alignedKeys(alignments, keys);

        assertThat(aligned.get("alpha")).containsExactlyInAnyOrderElementsOf(PrivateSetIntersectionTest.ids(20, 30));
        assertThat(aligned.get("beta")).isEqualTo(aligned.get("alpha"));
        assertThat(store.list(PsiKeys.sessionPrefix("churn", sessionId))).extracting(o -> o.key()).containsExactly(
                PsiKeys.blindedSet(session, "alpha", 1), PsiKeys.blindedSet(session, "alpha", 2),
                PsiKeys.blindedSet(session, "beta", 1), PsiKeys.blindedSet(session, "beta", 2));
    }
}
