package dev.sgw.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a store knows of an object: its key, size, ETag, last modification time, user metadata and, where
 * the store reports it, the CRC64-ECMA of its whole content.
 *
 * @param key          the key, relative to the store (a prefixing decorator strips its prefix)
 * @param size         content length in bytes
 * @param etag         the ETag without quotes; opaque, compared only for equality
 * @param lastModified as the store reports it
 * @param userMetadata user metadata with the store's prefix removed ({@code x-oss-meta-}/{@code x-amz-meta-}),
 *                     names in lower case; empty in listings
 * @param crc64        the CRC64-ECMA of the content as the store reports it (OSS: {@code x-oss-hash-crc64ecma};
 *                     S3: the {@value #CRC64_METADATA} user metadata sgw writes), empty when unknown
 */
public record ObjectInfo(
        String key,
        long size,
        String etag,
        Instant lastModified,
        Map<String, String> userMetadata,
        OptionalLong crc64) {

    /** The user-metadata name under which sgw records a CRC64-ECMA where the store has no header of its own. */
    public static final String CRC64_METADATA = "sgw-crc64";

    public ObjectInfo {
        userMetadata = Map.copyOf(userMetadata);
    }
}
