package io.meshfl.vertical.hashtocurve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9380's own test vectors (Appendices J.1.1, K.1 and K.2), copied as data under src/test/resources/rfc9380. */
class P256HashToCurveTest {

    private static final String SUITE_VECTORS = "/rfc9380/p256-xmd-sha256-sswu-ro.txt";
    private static final String EXPAND_VECTORS = "/rfc9380/expand-message-xmd-sha256.txt";

    static Stream<Map<String, String>> suiteVectors() {
        return Rfc9380Vectors.read(SUITE_VECTORS).stream();
    }

    static Stream<Map<String, String>> expandVectors() {
        return Rfc9380Vectors.read(EXPAND_VECTORS).stream();
    }

    @Test
    void theCopiedAppendixHoldsTheFiveMessagesOfEachSection() {
        assertThat(suiteVectors().map(v -> abbreviated(v.get("msg"))))
                .containsExactly("", "abc", "abcdef0123456789", "q128_", "a512_");
        assertThat(suiteVectors()).allSatisfy(v ->
                assertThat(v.get("dst")).isEqualTo("QUUX-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_"));
        assertThat(Rfc9380Vectors.read(SUITE_VECTORS).get(3).get("msg")).hasSize(5 + 128);
        assertThat(Rfc9380Vectors.read(SUITE_VECTORS).get(4).get("msg")).hasSize(5 + 512);
        assertThat(expandVectors()).hasSize(20);
        assertThat(expandVectors().map(v -> v.get("dst").length())).containsOnly(38, 256);
    }

    @ParameterizedTest(name = "msg \"{0}\"")
    @MethodSource("suiteVectors")
    void hashToFieldMapToCurveAndTheSumMatchTheRfc(Map<String, String> vector) {
        P256HashToCurve suite = new P256HashToCurve(vector.get("dst"));
        byte[] msg = vector.get("msg").getBytes(StandardCharsets.US_ASCII);

        BigInteger[] u = suite.hashToField(msg);
        ECPoint q0 = suite.mapToCurve(u[0]).normalize();
        ECPoint q1 = suite.mapToCurve(u[1]).normalize();
        ECPoint p = suite.hashToCurve(msg);

        assertThat(hex(u[0])).isEqualTo(vector.get("u[0]"));
        assertThat(hex(u[1])).isEqualTo(vector.get("u[1]"));
        assertThat(hex(q0.getAffineXCoord().toBigInteger())).isEqualTo(vector.get("Q0.x"));
        assertThat(hex(q0.getAffineYCoord().toBigInteger())).isEqualTo(vector.get("Q0.y"));
        assertThat(hex(q1.getAffineXCoord().toBigInteger())).isEqualTo(vector.get("Q1.x"));
        assertThat(hex(q1.getAffineYCoord().toBigInteger())).isEqualTo(vector.get("Q1.y"));
        assertThat(hex(p.getAffineXCoord().toBigInteger())).isEqualTo(vector.get("P.x"));
        assertThat(hex(p.getAffineYCoord().toBigInteger())).isEqualTo(vector.get("P.y"));
        assertThat(p.isValid()).isTrue();
    }

    @ParameterizedTest(name = "DST of {0} bytes")
    @MethodSource("expandVectors")
    void expandMessageXmdMatchesTheRfcForShortAndOversizeTags(Map<String, String> vector) {
        byte[] dst = vector.get("dst").getBytes(StandardCharsets.US_ASCII);
        int length = Integer.parseInt(vector.get("len_in_bytes").substring(2), 16);

        byte[] uniform = ExpandMessageXmd.expand(vector.get("msg").getBytes(StandardCharsets.US_ASCII), dst, length);

        assertThat(HexFormat.of().formatHex(ExpandMessageXmd.dstPrime(dst))).isEqualTo(vector.get("DST_prime"));
        assertThat(HexFormat.of().formatHex(uniform)).isEqualTo(vector.get("uniform_bytes"));
    }

    @Test
    void aDifferentTagHashesTheSameMessageToAnotherPoint() {
        byte[] msg = "customer-42".getBytes(StandardCharsets.UTF_8);

        ECPoint one = new P256HashToCurve("MeshFL-test-one").hashToCurve(msg);
        ECPoint other = new P256HashToCurve("MeshFL-test-other").hashToCurve(msg);

        assertThat(P256.compress(one)).isNotEqualTo(P256.compress(other));
    }

    @Test
    void compressedPointsRoundTripAndMalformedOnesAreRefused() {
        ECPoint point = new P256HashToCurve("MeshFL-test").hashToCurve(new byte[] {1});
        byte[] encoded = P256.compress(point);

        assertThat(P256.decompress(encoded)).isEqualTo(point);
        assertThatThrownBy(() -> P256.decompress(new byte[33])).hasMessageContaining("Not a compressed P-256 point");
        byte[] notOnCurve = encoded.clone();
        notOnCurve[1] ^= 1;
        notOnCurve[32] ^= 1;
        // Roughly half of all x coordinates have no point: scan until one fails, and require that it is refused.
        boolean refusedOne = false;
        for (int i = 0; i < 64 && !refusedOne; i++) {
            notOnCurve[32] = (byte) i;
            try {
                P256.decompress(notOnCurve);
            } catch (IllegalArgumentException expected) {
                refusedOne = true;
            }
        }
        assertThat(refusedOne).isTrue();
        assertThatThrownBy(() -> new P256HashToCurve(new byte[0])).hasMessageContaining("must not be empty");
    }

    private static String abbreviated(String msg) {
        return msg.length() > 20 ? msg.substring(0, 5) : msg;
    }

    private static String hex(BigInteger value) {
        return String.format("%064x", value);
    }
}
