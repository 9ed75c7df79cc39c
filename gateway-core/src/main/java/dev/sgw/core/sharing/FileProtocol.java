package dev.sgw.core.sharing;

/** Who keeps state on a file: one of the file protocols, or the gateway itself (e.g. reverse sync). */
public enum FileProtocol {
    NFS,
    SMB,
    GATEWAY
}
