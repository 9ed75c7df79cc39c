package dev.sgw.smb.file;

import java.io.IOException;

import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;

/** Not yet built. */
final class SetInfo {
    private final OpenTable opens;

    SetInfo(OpenTable opens) {
        this.opens = opens;
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        opens.get(request, dev.sgw.smb.server.FileId.RELATED);
        return SmbResponse.error(NtStatus.NOT_SUPPORTED);
    }
}
