package dev.sgw.smb.server;

import io.netty.buffer.ByteBuf;

/**
 * An SMB2_FILEID (MS-SMB2 2.2.14.1): the persistent part survives a durable reconnect, the volatile part
 * names the open on this server run. {@link #RELATED} (all ones) in a related compounded request means "the
 * file the previous request of this compound opened or used".
 */
public record FileId(long persistent, long volatileId) {
    public static final FileId RELATED = new FileId(-1L, -1L);

    public boolean isRelated() {
        return persistent == -1L && volatileId == -1L;
    }

    public static FileId read(ByteBuf in) {
        return new FileId(in.readLongLE(), in.readLongLE());
    }

    public static FileId get(ByteBuf in, int index) {
        return new FileId(in.getLongLE(index), in.getLongLE(index + 8));
    }

    public void write(ByteBuf out) {
        out.writeLongLE(persistent);
        out.writeLongLE(volatileId);
    }
}
