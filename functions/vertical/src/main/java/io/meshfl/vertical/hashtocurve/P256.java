package io.meshfl.vertical.hashtocurve;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * NIST P-256 from Bouncy Castle's optimised implementation: the prime-order group (cofactor 1) the vertical models'
 * hash-to-curve and private set intersection work in. Points travel in SEC 1 compressed form (33 bytes).
 */
public final class P256 {

    /** Bytes of a compressed point: a sign byte (02/03) and the 32-byte x coordinate. */
    public static final int COMPRESSED_POINT_BYTES = 33;

    private static final X9ECParameters PARAMETERS = CustomNamedCurves.getByName("P-256");

    private P256() {
    }

    public static ECCurve curve() {
        return PARAMETERS.getCurve();
    }

    /** The base field's prime p. */
    public static BigInteger fieldPrime() {
        return PARAMETERS.getCurve().getField().getCharacteristic();
    }

    /** The group order n (the curve's cofactor is 1, so every point but the identity generates the group). */
    public static BigInteger order() {
        return PARAMETERS.getN();
    }

    public static ECPoint generator() {
        return PARAMETERS.getG();
    }

    /** SEC 1 compressed encoding of a point other than the identity. */
    public static byte[] compress(ECPoint point) {
        if (point.isInfinity()) {
            throw new IllegalArgumentException("The identity has no compressed encoding here");
        }
        return point.getEncoded(true);
    }

    /**
     * Decodes a compressed point and checks it lies on the curve.
     *
     * @throws IllegalArgumentException if the bytes are not a valid compressed P-256 point (or are the identity)
     */
    public static ECPoint decompress(byte[] encoded) {
        if (encoded.length != COMPRESSED_POINT_BYTES || (encoded[0] != 2 && encoded[0] != 3)) {
            throw new IllegalArgumentException("Not a compressed P-256 point: " + encoded.length + " bytes, first "
                    + (encoded.length == 0 ? "none" : String.format("0x%02x", encoded[0])));
        }
        ECPoint point = curve().decodePoint(encoded);
        if (point.isInfinity() || !point.isValid()) {
            throw new IllegalArgumentException("Not a point of the P-256 group");
        }
        return point;
    }
}
