package dev.sgw.iscsi.pdu;

import java.util.List;
import java.util.Optional;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

/**
 * Turns an {@link IscsiFrame} into its typed {@link IscsiPdu}, by opcode. A target accepts only initiator
 * opcodes; anything else, or a field a PDU kind does not allow, becomes an {@link InvalidPdu}. Stateless and
 * shared by all connections; {@link InvalidPdu}s from the frame decoder pass through.
 */
@ChannelHandler.Sharable
public final class PduDecoder extends MessageToMessageDecoder<Object> {

    /** The decoder of a target: initiator PDUs only. */
    public static final PduDecoder TARGET = new PduDecoder(true);

    private final boolean initiatorOpcodesOnly;

    private PduDecoder(boolean initiatorOpcodesOnly) {
        super(Object.class);
        this.initiatorOpcodesOnly = initiatorOpcodesOnly;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        out.add(msg instanceof IscsiFrame frame ? decodeFrame(frame, initiatorOpcodesOnly) : msg);
    }

    /** The typed PDU in {@code frame}, or an {@link InvalidPdu}. */
    public static Object decodeFrame(IscsiFrame frame, boolean initiatorOpcodesOnly) {
        Bhs h = frame.header();
        Optional<Opcode> opcode = Opcode.of(h.opcodeCode());
        if (opcode.isEmpty()) {
            return new InvalidPdu(
                    h, InvalidPdu.Problem.UNKNOWN_OPCODE, "unknown opcode 0x" + Integer.toHexString(h.opcodeCode()));
        }
        if (initiatorOpcodesOnly && !opcode.get().fromInitiator()) {
            return new InvalidPdu(
                    h, InvalidPdu.Problem.UNEXPECTED_OPCODE, "target opcode " + opcode.get() + " sent to a target");
        }
        try {
            return decode(opcode.get(), frame);
        } catch (PduFormatException e) {
            return new InvalidPdu(h, InvalidPdu.Problem.BAD_FIELD, e.getMessage());
        }
    }

    /** Decodes {@code frame} as {@code opcode}. */
    public static IscsiPdu decode(Opcode opcode, IscsiFrame frame) {
        return switch (opcode) {
            case NOP_OUT -> NopOut.decode(frame);
            case SCSI_COMMAND -> ScsiCommandRequest.decode(frame);
            case TASK_MANAGEMENT_REQUEST -> TaskManagementRequest.decode(frame);
            case LOGIN_REQUEST -> LoginRequest.decode(frame);
            case TEXT_REQUEST -> TextRequest.decode(frame);
            case DATA_OUT -> DataOut.decode(frame);
            case LOGOUT_REQUEST -> LogoutRequest.decode(frame);
            case SNACK_REQUEST -> SnackRequest.decode(frame);
            case NOP_IN -> NopIn.decode(frame);
            case SCSI_RESPONSE -> ScsiCommandResponse.decode(frame);
            case TASK_MANAGEMENT_RESPONSE -> TaskManagementResponse.decode(frame);
            case LOGIN_RESPONSE -> LoginResponse.decode(frame);
            case TEXT_RESPONSE -> TextResponse.decode(frame);
            case DATA_IN -> DataIn.decode(frame);
            case LOGOUT_RESPONSE -> LogoutResponse.decode(frame);
            case READY_TO_TRANSFER -> ReadyToTransfer.decode(frame);
            case ASYNC_MESSAGE -> AsyncMessage.decode(frame);
            case REJECT -> Reject.decode(frame);
        };
    }
}
