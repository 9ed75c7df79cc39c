package dev.sgw.core.volume;

/**
 * What a read did.
 *
 * @param count bytes copied into the buffer
 * @param eof   whether the read reached the end of the file
 */
public record ReadResult(int count, boolean eof) {}
