package dev.sgw.core.store;

/**
 * The outcome of a completed write (put, copy, complete multipart): the new version's ETag, size and
 * CRC64-ECMA. For a put the CRC has been checked against what the store computed where the store reports
 * one; {@code crc64Verified} says whether it did.
 */
public record ObjectWritten(String key, String etag, long size, long crc64, boolean crc64Verified) {}
