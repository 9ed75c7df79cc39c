package dev.sgw.smb.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What a CREATE's durable handle contexts ask for (MS-SMB2 2.2.13.2.3, .4, .11, .12, .13), checked against each
 * other as 3.3.5.9.6, 3.3.5.9.7, 3.3.5.9.10 and 3.3.5.9.12 say.
 *
 * <pre>
 * DHnQ (16)  DurableRequest, reserved
 * DHnC (16)  FileId of the open to reconnect
 * DH2Q (32)  Timeout (4) Flags (4) Reserved (8) CreateGuid (16)
 * DH2C (36)  FileId (16) CreateGuid (16) Flags (4)
 * AppInstanceId (20, named by a GUID)  StructureSize = 20 (2) Reserved (2) AppInstanceId (16)
 *
 * contexts present          | what
 * --------------------------+------------------------------------------------------------------
 * none                      | NONE
 * DHnQ                      | REQUEST_V1
 * DH2Q (3.x)                | REQUEST_V2 (its CreateGuid, Timeout; the PERSISTENT flag is refused
 *                           |             by answering without it: no share is continuously available)
 * DHnC (DHnQ ignored)       | RECONNECT_V1
 * DH2C (3.x)                | RECONNECT_V2 (its CreateGuid)
 * DHnQ+DH2Q, DHnC+DH2Q,     | INVALID_PARAMETER
 * DHnC+DH2C, DH2C+DHnQ,     |
 * DH2C+DH2Q, a wrong length |
 * </pre>
 *
 * Below SMB 3.0 the v2 contexts and AppInstanceId are ignored.
 *
 * @param kind          what is asked
 * @param fileId        the open to reconnect (RECONNECT_*), else null
 * @param createGuid    the CreateGuid of DH2Q or DH2C; 16 zero bytes for v1 (a v1 open's CreateGuid)
 * @param timeoutMillis DH2Q's Timeout (0: the server's default)
 * @param appInstanceId the AppInstanceId sent beside DH2Q, or null
 */
@SuppressWarnings("ArrayRecordComponent")
record DurableRequest(Kind kind, FileId fileId, byte[] createGuid, long timeoutMillis, byte[] appInstanceId) {
    /** What the contexts ask. */
    enum Kind {
        NONE,
        REQUEST_V1,
        REQUEST_V2,
        RECONNECT_V1,
        RECONNECT_V2;

        boolean reconnect() {
            return this == RECONNECT_V1 || this == RECONNECT_V2;
        }

        boolean request() {
            return this == REQUEST_V1 || this == REQUEST_V2;
        }
    }

    static final String V1_REQUEST = "DHnQ", V1_RECONNECT = "DHnC", V2_REQUEST = "DH2Q", V2_RECONNECT = "DH2C";
    /** SMB2_CREATE_APP_INSTANCE_ID's name: the GUID {45BCA66A-EFA7-F74A-9008-FA462E144D74} as bytes. */
    static final String APP_INSTANCE_ID = new String(
            new byte[] {
                0x45,
                (byte) 0xBC,
                (byte) 0xA6,
                0x6A,
                (byte) 0xEF,
                (byte) 0xA7,
                (byte) 0xF7,
                0x4A,
                (byte) 0x90,
                0x08,
                (byte) 0xFA,
                0x46,
                0x2E,
                0x14,
                0x4D,
                0x74
            },
            StandardCharsets.ISO_8859_1);

    static final byte[] NO_GUID = new byte[16];
    static final DurableRequest NOTHING = new DurableRequest(Kind.NONE, null, NO_GUID, 0, null);

    /** The contexts of {@code create} on a connection of {@code dialect}. */
    static DurableRequest of(CreateRequest create, int dialect) throws SmbException {
        boolean smb3 = dialect >= 0x0300;
        CreateRequest.CreateContext v1q = create.context(V1_REQUEST);
        CreateRequest.CreateContext v1c = create.context(V1_RECONNECT);
        CreateRequest.CreateContext v2q = smb3 ? create.context(V2_REQUEST) : null;
        CreateRequest.CreateContext v2c = smb3 ? create.context(V2_RECONNECT) : null;
        if ((v2q != null && (v1q != null || v1c != null || v2c != null))
                || (v2c != null && (v1q != null || v1c != null))) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "durable v1 and v2 contexts together");
        }
        if (v1c != null) {
            ByteBuf d = data(v1c, 16);
            return new DurableRequest(Kind.RECONNECT_V1, FileId.get(d, 0), NO_GUID, 0, null);
        }
        if (v2c != null) {
            ByteBuf d = data(v2c, 36);
            return new DurableRequest(Kind.RECONNECT_V2, FileId.get(d, 0), bytes(d, 16, 16), 0, null);
        }
        if (v1q != null) {
            data(v1q, 16);
            return new DurableRequest(Kind.REQUEST_V1, null, NO_GUID, 0, null);
        }
        if (v2q != null) {
            ByteBuf d = data(v2q, 32);
            return new DurableRequest(
                    Kind.REQUEST_V2, null, bytes(d, 16, 16), d.getUnsignedIntLE(0), appInstanceId(create));
        }
        return NOTHING;
    }

    private static byte[] appInstanceId(CreateRequest create) throws SmbException {
        CreateRequest.CreateContext c = create.context(APP_INSTANCE_ID);
        if (c == null) {
            return null;
        }
        ByteBuf d = data(c, 20);
        return bytes(d, 4, 16);
    }

    private static ByteBuf data(CreateRequest.CreateContext c, int length) throws SmbException {
        if (c.data().length != length) {
            throw new SmbException(
                    NtStatus.INVALID_PARAMETER, "durable context of " + c.data().length + " bytes, not " + length);
        }
        return Unpooled.wrappedBuffer(c.data());
    }

    private static byte[] bytes(ByteBuf d, int at, int length) {
        byte[] b = new byte[length];
        d.getBytes(at, b);
        return b;
    }

    /** Whether {@code guid} is this request's CreateGuid. */
    boolean sameGuid(byte[] guid) {
        return Arrays.equals(createGuid, guid);
    }

    /** The DHnQ response context's data (2.2.14.2.3): 8 reserved bytes. */
    static ByteBuf v1Response() {
        return Unpooled.buffer(8).writeZero(8);
    }

    /** The DH2Q response context's data (2.2.14.2.12): Timeout (4), Flags (4): never PERSISTENT. */
    static ByteBuf v2Response(long timeoutMillis) {
        return Unpooled.buffer(8).writeIntLE((int) timeoutMillis).writeIntLE(0);
    }
}
