package dev.sgw.smb.server;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;

/**
 * What a handler answers: a status and the response body (the bytes after the 64-byte header, starting with
 * the command's StructureSize), or an asynchronous answer the dispatcher announces with an interim
 * STATUS_PENDING and sends when {@code later} completes (a CANCEL cancels {@code later}; the dispatcher then
 * answers STATUS_CANCELLED). The dispatcher owns {@code body} and releases it.
 */
public record SmbResponse(int status, ByteBuf body, CompletableFuture<SmbResponse> later) {
    public static SmbResponse of(ByteBuf body) {
        return new SmbResponse(0, body, null);
    }

    /** A response with a non-error status and a body, e.g. BUFFER_OVERFLOW with partial data. */
    public static SmbResponse of(int status, ByteBuf body) {
        return new SmbResponse(status, body, null);
    }

    /** An error response; the dispatcher writes the 9-byte SMB2 ERROR body. */
    public static SmbResponse error(int status) {
        return new SmbResponse(status, null, null);
    }

    public static SmbResponse async(CompletableFuture<SmbResponse> later) {
        return new SmbResponse(0x00000103, null, later);
    }

    public boolean isAsync() {
        return later != null;
    }
}
