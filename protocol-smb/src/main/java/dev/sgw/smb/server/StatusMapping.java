package dev.sgw.smb.server;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.wire.NtStatus;

/** The one mapping from the volume's errors to the NTSTATUS an SMB client sees. */
public final class StatusMapping {
    private StatusMapping() {}

    public static int of(VolumeException e) {
        return of(e.error());
    }

    public static int of(VolumeError error) {
        return switch (error) {
            case NOENT, STALE -> NtStatus.OBJECT_NAME_NOT_FOUND;
            case EXIST -> NtStatus.OBJECT_NAME_COLLISION;
            case NOTDIR -> NtStatus.NOT_A_DIRECTORY;
            case ISDIR -> NtStatus.FILE_IS_A_DIRECTORY;
            case NOTEMPTY -> NtStatus.DIRECTORY_NOT_EMPTY;
            case ACCES, PERM -> NtStatus.ACCESS_DENIED;
            case NOSPC, FBIG -> NtStatus.DISK_FULL;
            case ROFS -> NtStatus.MEDIA_WRITE_PROTECTED;
            case NAMETOOLONG -> NtStatus.OBJECT_NAME_INVALID;
            case IO, UNAVAILABLE -> NtStatus.UNEXPECTED_IO_ERROR;
            case INVAL, BADCOOKIE -> NtStatus.INVALID_PARAMETER;
            case MLINK -> NtStatus.FILE_SYSTEM_LIMITATION;
            case NOTSUPP -> NtStatus.NOT_SUPPORTED;
            case SHARING_VIOLATION -> NtStatus.SHARING_VIOLATION;
            case LOCKED -> NtStatus.FILE_LOCK_CONFLICT;
            case DELETE_PENDING -> NtStatus.DELETE_PENDING;
        };
    }
}
