package dev.sgw.core.store;

import java.util.Map;
import java.util.Objects;

/**
 * How an object is written: its user metadata (names without the store's {@code x-oss-meta-} or
 * {@code x-amz-meta-} prefix, lower case, values in printable ASCII) and the {@link Precondition}.
 */
public record PutOptions(Map<String, String> userMetadata, Precondition precondition) {

    private static final PutOptions DEFAULT = new PutOptions(Map.of(), Precondition.none());

    public PutOptions {
        userMetadata = Map.copyOf(userMetadata);
        Objects.requireNonNull(precondition, "precondition");
    }

    /** No metadata, no condition. */
    public static PutOptions defaults() {
        return DEFAULT;
    }

    public static PutOptions withMetadata(Map<String, String> userMetadata) {
        return new PutOptions(userMetadata, Precondition.none());
    }

    public PutOptions with(Precondition condition) {
        return new PutOptions(userMetadata, condition);
    }
}
