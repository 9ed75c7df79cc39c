package dev.sgw.core.store;

/**
 * A part of a multipart upload as the store acknowledged it: its number (1..10,000), ETag, size and
 * CRC64-ECMA (from the store for OSS, computed by sgw otherwise; {@code 0} with size 0).
 */
public record MultipartPart(int partNumber, String etag, long size, long crc64) {

    /** Part numbers run from 1 to this. */
    public static final int MAX_PART_NUMBER = 10_000;

    public MultipartPart {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw new IllegalArgumentException("part number out of range: " + partNumber);
        }
    }
}
