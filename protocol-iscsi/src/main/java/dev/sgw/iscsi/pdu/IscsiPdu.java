package dev.sgw.iscsi.pdu;

/**
 * A typed iSCSI PDU (RFC 7143 section 11): one record per kind, each converting from and to an
 * {@link IscsiFrame}. Initiator PDUs are decoded by the target and target PDUs encoded; each kind does both so
 * that tests can speak the initiator side.
 */
public sealed interface IscsiPdu
        permits LoginRequest,
                LoginResponse,
                TextRequest,
                TextResponse,
                ScsiCommandRequest,
                ScsiCommandResponse,
                DataOut,
                DataIn,
                ReadyToTransfer,
                NopOut,
                NopIn,
                TaskManagementRequest,
                TaskManagementResponse,
                LogoutRequest,
                LogoutResponse,
                Reject,
                AsyncMessage,
                SnackRequest {

    Opcode opcode();

    /** The frame carrying this PDU. */
    IscsiFrame toFrame();
}
