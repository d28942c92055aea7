package io.meshfl.vertical.hashtocurve;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The RFC 9380 suite {@code P256_XMD:SHA-256_SSWU_RO_} (section 8.2): a random-oracle hash of byte strings onto
 * P-256 whose outputs have no known discrete logarithm relation, which is what Diffie–Hellman private set
 * intersection needs (hashing to a scalar and multiplying the generator would not do).
 *
 * <p>hash_to_curve(msg) = clear_cofactor(map_to_curve(u0) + map_to_curve(u1)) with (u0, u1) = hash_to_field(msg, 2),
 * where map_to_curve is the simplified SWU map (section 6.6.2) and clear_cofactor is the identity (h = 1).
 *
 * <p>Not constant-time: the map branches on whether a value is a square. The inputs are a domain's own entity keys,
 * hashed inside the domain; the guarantee MeshFL documents is against semi-honest parties, not local side channels.
 */
public final class P256HashToCurve {

    public static final String SUITE = "P256_XMD:SHA-256_SSWU_RO_";

    /** L = ceil((ceil(log2(p)) + k) / 8) with k = 128: 48 bytes per field element, so the bias is below 2^-128. */
    private static final int L = 48;

    private final byte[] dst;
    private final ECCurve curve = P256.curve();
    private final BigInteger p = P256.fieldPrime();
    /** Z = -10, the suite's non-square constant. */
    private final ECFieldElement z = curve.fromBigInteger(P256.fieldPrime().subtract(BigInteger.TEN));

    /** @param dst the domain separation tag; distinct uses must use distinct tags (RFC 9380, section 3.1) */
    public P256HashToCurve(byte[] dst) {
        if (dst.length == 0) {
            throw new IllegalArgumentException("A hash-to-curve domain separation tag must not be empty");
        }
        this.dst = dst.clone();
    }

    public P256HashToCurve(String dst) {
        this(dst.getBytes(StandardCharsets.UTF_8));
    }

    /** The point {@code msg} hashes to, normalised (affine). */
    public ECPoint hashToCurve(byte[] msg) {
        BigInteger[] u = hashToField(msg);
        return clearCofactor(mapToCurve(u[0]).add(mapToCurve(u[1]))).normalize();
    }

    /** hash_to_field(msg, 2) (section 5.2): two elements of GF(p) from 96 uniform bytes. */
    public BigInteger[] hashToField(byte[] msg) {
        byte[] uniform = ExpandMessageXmd.expand(msg, dst, 2 * L);
        BigInteger[] u = new BigInteger[2];
        for (int i = 0; i < 2; i++) {
            byte[] tv = new byte[L];
            System.arraycopy(uniform, i * L, tv, 0, L);
            u[i] = new BigInteger(1, tv).mod(p);
        }
        return u;
    }

    /** The simplified SWU map (section 6.6.2, straight-line description) of a field element to a curve point. */
    public ECPoint mapToCurve(BigInteger uValue) {
        ECFieldElement a = curve.getA();
        ECFieldElement b = curve.getB();
        ECFieldElement u = curve.fromBigInteger(uValue);
        ECFieldElement zu2 = z.multiply(u.square());
        // tv1 = inv0(Z^2 * u^4 + Z * u^2)
        ECFieldElement denominator = zu2.square().add(zu2);
        ECFieldElement x1 = denominator.isZero()
                ? b.divide(z.multiply(a))
                : b.negate().divide(a).multiply(curve.fromBigInteger(BigInteger.ONE).add(denominator.invert()));
        ECFieldElement x = x1;
        ECFieldElement y = weierstrass(x1, a, b).sqrt();
        if (y == null) {
            x = zu2.multiply(x1);
            y = weierstrass(x, a, b).sqrt();
            if (y == null) {
                throw new IllegalStateException("Simplified SWU: neither g(x1) nor g(x2) is a square, impossible for"
                        + " a valid Z; the curve parameters are wrong");
            }
        }
        if (sgn0(u) != sgn0(y)) {
            y = y.negate();
        }
        return curve.validatePoint(x.toBigInteger(), y.toBigInteger());
    }

    /** P-256 has cofactor 1: clearing it is the identity map. */
    public static ECPoint clearCofactor(ECPoint point) {
        return point;
    }

    /** g(x) = x^3 + A x + B. */
    private static ECFieldElement weierstrass(ECFieldElement x, ECFieldElement a, ECFieldElement b) {
        return x.square().add(a).multiply(x).add(b);
    }

    /** sgn0 for a prime field (m = 1): the parity of the canonical representative (section 4.1). */
    private static boolean sgn0(ECFieldElement element) {
        return element.toBigInteger().testBit(0);
    }
}
