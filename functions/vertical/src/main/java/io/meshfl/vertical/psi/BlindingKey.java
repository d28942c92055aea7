package io.meshfl.vertical.psi;

import io.meshfl.vertical.hashtocurve.P256;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A party's secret scalar k in [1, n−1]. It never leaves the party: the PSI objects carry only points multiplied by
 * it, and recovering k from them is the discrete logarithm problem on P-256. The party keeps it for the whole session
 * (a retried step must blind with the same k to write the same bytes).
 */
public final class BlindingKey {

    private final BigInteger scalar;

    private BlindingKey(BigInteger scalar) {
        if (scalar.signum() <= 0 || scalar.compareTo(P256.order()) >= 0) {
            throw new IllegalArgumentException("A blinding scalar must be in [1, n-1] for the P-256 group order n");
        }
        this.scalar = scalar;
    }

    /** A fresh key, uniform in [1, n−1]. */
    public static BlindingKey random(SecureRandom random) {
        return new BlindingKey(BigIntegers.createRandomInRange(BigInteger.ONE, P256.order().subtract(BigInteger.ONE),
                random));
    }

    /** A key a party stored earlier with {@link #toBytes()}. */
    public static BlindingKey fromBytes(byte[] bytes) {
        return new BlindingKey(new BigInteger(1, bytes));
    }

    /** 32 bytes, big-endian: for the party's own secret storage only. */
    public byte[] toBytes() {
        return BigIntegers.asUnsignedByteArray(32, scalar);
    }

    /** k·P, normalised. Multiplication by k permutes the group, so distinct points stay distinct. */
    public ECPoint blind(ECPoint point) {
        return point.multiply(scalar).normalize();
    }

    @Override
    public String toString() {
        return "BlindingKey[secret]";
    }
}
