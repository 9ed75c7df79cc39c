package dev.sgw.core.store;

/**
 * The operations of {@link ObjectStore}, named as they appear in logs and in the {@code operation} tag of
 * the {@code sgw.objectstore.*} metrics ({@link MeteredObjectStore}).
 */
public enum StoreOperation {
    HEAD("head"),
    GET("get"),
    PUT("put"),
    DELETE("delete"),
    DELETE_BATCH("delete_batch"),
    COPY("copy"),
    LIST("list"),
    MULTIPART_START("multipart_start"),
    PART_UPLOAD("part_upload"),
    PART_COPY("part_copy"),
    MULTIPART_COMPLETE("multipart_complete"),
    MULTIPART_ABORT("multipart_abort"),
    MULTIPART_LIST("multipart_list");

    private final String tag;

    StoreOperation(String tag) {
        this.tag = tag;
    }

    /** The name in logs and metric tags, e.g. {@code part_upload}. */
    public String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return tag;
    }
}
