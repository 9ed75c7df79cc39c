package dev.sgw.core.store;

/**
 * A backend that counts the whole-object reads it could not check because the store reported no CRC64
 * for the object (objects written by other tools, multipart objects on S3, an OSS answer without
 * {@code x-oss-hash-crc64ecma}). {@link MeteredObjectStore} publishes the count, so an unchecked read is
 * visible in a metric and never passed off as checked.
 */
public interface UnverifiedReads {

    /** Whole-object reads served without a CRC64 to check, since the backend was opened. */
    long unverifiedReads();
}
