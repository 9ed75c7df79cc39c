package dev.sgw.smb.server;

import java.io.IOException;

/**
 * Handles one command of one request. Runs on a virtual thread; may block on the volume. A {@link
 * dev.sgw.core.volume.VolumeException} thrown here is mapped to its NTSTATUS by the dispatcher ({@link
 * StatusMapping}); an {@link SmbException} gives its status.
 */
@FunctionalInterface
public interface CommandHandler {
    SmbResponse handle(SmbRequest request) throws SmbException, IOException;
}
