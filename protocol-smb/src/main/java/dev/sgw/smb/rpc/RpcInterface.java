package dev.sgw.smb.rpc;

/**
 * One RPC interface a pipe serves: its abstract syntax and its operations, each taking the NDR request stub
 * and returning the NDR response stub. Stateless, so one instance serves every open of its pipe.
 */
interface RpcInterface {
    /** Win32 status values the operations return as NET_API_STATUS / WERROR (MS-ERREF 2.2). */
    int ERROR_SUCCESS = 0;

    int ERROR_INVALID_LEVEL = 124;
    int ERROR_MORE_DATA = 234;
    int NERR_NET_NAME_NOT_FOUND = 2310;

    /** PLATFORM_ID_NT (MS-SRVS 2.2.2.6, MS-WKST 2.2.1.3). */
    int PLATFORM_ID_NT = 500;

    SyntaxId syntax();

    /**
     * Runs operation {@code opnum}; throws {@link RpcFault} with {@link RpcFault#OP_RANGE_ERROR} for an opnum the
     * interface does not have and {@link RpcFault#BAD_STUB_DATA} for a stub that does not decode.
     */
    byte[] call(int opnum, NdrReader in) throws RpcFault;
}
