package io.meshfl.core.safetensors;

/**
 * A tensor as a header declares it: its spec and its byte range {@code [begin, end)} relative to the start of
 * the data section (the header's {@code data_offsets}).
 */
public record TensorInfo(TensorSpec spec, long begin, long end) {

    public String name() {
        return spec.name();
    }

    public Dtype dtype() {
        return spec.dtype();
    }

    public long elementCount() {
        return spec.elementCount();
    }
}
