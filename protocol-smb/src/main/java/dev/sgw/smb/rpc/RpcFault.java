package dev.sgw.smb.rpc;

/**
 * A call the server answers with a FAULT PDU instead of a RESPONSE, with its status (C706 appendix E and
 * MS-RPCE 2.2.2.11, little-endian on the wire).
 */
final class RpcFault extends Exception {
    private static final long serialVersionUID = 1L;

    /** nca_s_op_rng_error: the interface has no such operation number. */
    static final int OP_RANGE_ERROR = 0x1C010002;
    /** nca_s_unknown_if: the presentation context is not bound. */
    static final int UNKNOWN_INTERFACE = 0x1C010003;
    /** nca_s_proto_error: a PDU out of place or malformed. */
    static final int PROTOCOL_ERROR = 0x1C01000B;
    /** RPC_X_BAD_STUB_DATA (nca_s_fault_ndr): the stub does not decode. */
    static final int BAD_STUB_DATA = 0x000006F7;
    /** RPC_S_INVALID_TAG: a union discriminant with no arm in the IDL. */
    static final int INVALID_TAG = 0x000006C5;
    /** nca_s_fault_remote_no_memory: a request larger than the pipe reassembles. */
    static final int NO_MEMORY = 0x1C00001B;

    /** nca_s_fault_unspec: the operation failed inside the server. */
    static final int UNSPECIFIED = 0x1C000012;

    private final int status;

    RpcFault(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
