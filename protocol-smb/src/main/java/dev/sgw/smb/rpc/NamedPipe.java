package dev.sgw.smb.rpc;

/**
 * One open of a named pipe on IPC$ that speaks DCE/RPC (MS-RPCE, connection-oriented PDUs). The client
 * either WRITEs a PDU and READs the reply, or sends both in one IOCTL FSCTL_PIPE_TRANSCEIVE. Not
 * thread-safe (one open, one client).
 */
public interface NamedPipe {
    /** Takes the bytes of a WRITE (one or more PDU fragments, or part of one). */
    void write(byte[] data);

    /**
     * Up to {@code max} bytes of pending reply; {@code moreData} tells the caller to answer
     * STATUS_BUFFER_OVERFLOW because bytes remain. Empty when nothing is pending.
     */
    ReadResult read(int max);

    /** {@link #write} then {@link #read}: FSCTL_PIPE_TRANSCEIVE. */
    default ReadResult transceive(byte[] data, int max) {
        write(data);
        return read(max);
    }

    @SuppressWarnings("ArrayRecordComponent")
    record ReadResult(byte[] data, boolean moreData) {}
}
