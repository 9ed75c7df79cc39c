package dev.sgw.core.manage;

/** The kinds of entity the management service keeps, in the order they depend on one another. */
public enum EntityKind {
    RESOURCE("resource"),
    CACHE_DISK("cache disk"),
    SMB_USER("SMB user"),
    NFS_SHARE("NFS share"),
    SMB_SHARE("SMB share"),
    ISCSI_VOLUME("iSCSI volume");

    private final String label;

    EntityKind(String label) {
        this.label = label;
    }

    /** How messages name this kind: "NFS share". */
    public String label() {
        return label;
    }
}
