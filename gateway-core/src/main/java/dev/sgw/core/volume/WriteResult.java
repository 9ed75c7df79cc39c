package dev.sgw.core.volume;

/**
 * What a write did.
 *
 * @param count      bytes written (all of them; a short write is an exception)
 * @param stability  how durable they are now
 * @param attributes the file's attributes after the write
 */
public record WriteResult(int count, Stability stability, FileAttributes attributes) {}
