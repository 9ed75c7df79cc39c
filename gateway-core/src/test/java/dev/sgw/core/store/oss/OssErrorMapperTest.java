package dev.sgw.core.store.oss;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSSException;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping table on the SDK's own exception types (the fixture tests cover it end to end). */
class OssErrorMapperTest {

    private static Code codeOf(String ossCode) {
        return OssErrorMapper.map("op", "k", new OSSException("message", ossCode, "req-1", "host", null, null, "GET"))
                .code();
    }

    @Test
    void ossErrorCodesMapOntoNeutralCodes() {
        assertThat(codeOf("NoSuchKey")).isEqualTo(Code.NOT_FOUND);
        assertThat(codeOf("NoSuchUpload")).isEqualTo(Code.NOT_FOUND);
        assertThat(codeOf("NoSuchBucket")).isEqualTo(Code.INVALID); // never "no such object"
        assertThat(codeOf("FileAlreadyExists")).isEqualTo(Code.PRECONDITION_FAILED);
        assertThat(codeOf("PreconditionFailed")).isEqualTo(Code.PRECONDITION_FAILED);
        for (String denied : new String[] {
            "AccessDenied",
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId",
            "SecurityTokenExpired",
            "RequestTimeTooSkewed"
        }) {
            assertThat(codeOf(denied)).as(denied).isEqualTo(Code.DENIED);
        }
        for (String invalid : new String[] {"InvalidArgument", "EntityTooSmall", "InvalidPart", "InvalidRange"}) {
            assertThat(codeOf(invalid)).as(invalid).isEqualTo(Code.INVALID);
        }
        assertThat(codeOf("InvalidDigest")).isEqualTo(Code.INTEGRITY);
        assertThat(codeOf("QpsLimitExceeded")).isEqualTo(Code.THROTTLED);
        assertThat(codeOf("Throttling")).isEqualTo(Code.THROTTLED);
        assertThat(codeOf("InternalError")).isEqualTo(Code.UNAVAILABLE);
        assertThat(codeOf("NotImplemented")).isEqualTo(Code.NOT_SUPPORTED);
        assertThat(codeOf("SomethingElse")).isEqualTo(Code.OTHER);
    }

    @Test
    void bodylessAnswersFallBackOnTheirStatus() {
        assertThat(OssErrorMapper.codeOf("Unknown", "No body in response, http status code 503"))
                .isEqualTo(Code.THROTTLED);
        assertThat(OssErrorMapper.codeOf("Unknown", "No body in response, http status code 429"))
                .isEqualTo(Code.THROTTLED);
        assertThat(OssErrorMapper.codeOf("Unknown", "No body in response, http status code 502"))
                .isEqualTo(Code.UNAVAILABLE);
        assertThat(OssErrorMapper.codeOf("Unknown", "No body in response, http status code 403"))
                .isEqualTo(Code.DENIED);
    }

    @Test
    void clientFailuresAreUnavailableAndCrcMismatchesIntegrityFailures() {
        ObjectStoreException refused =
                OssErrorMapper.map("get", "k", new ClientException("Connection refused", "ConnectionRefused", "r"));
        assertThat(refused.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(refused.getMessage()).contains("get k", "ConnectionRefused");
        ObjectStoreException crc = OssErrorMapper.map("put", "k", new InconsistentException(1L, 2L, "r"));
        assertThat(crc.code()).isEqualTo(Code.INTEGRITY);
        assertThat(OssErrorMapper.map("put", "k", new IllegalArgumentException("bad key"))
                        .code())
                .isEqualTo(Code.INVALID);
    }
}
