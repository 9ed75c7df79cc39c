package dev.sgw.core.store.oss;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aliyun.oss.ClientErrorCode;
import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSSException;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;

/**
 * The one place where failures of Alibaba's OSS SDK become {@link ObjectStoreException}s.
 *
 * <p>An {@link OSSException} carries the service's error code (and no HTTP status); the code decides:
 *
 * <table>
 *   <caption>OSS error codes and HTTP statuses onto the neutral codes</caption>
 *   <tr><th>OSS error code</th><th>HTTP</th><th>code</th></tr>
 *   <tr><td>NoSuchKey, NoSuchUpload, NoSuchVersion</td><td>404</td><td>NOT_FOUND</td></tr>
 *   <tr><td>FileAlreadyExists, ObjectAlreadyExists, PreconditionFailed</td><td>409, 412</td><td>PRECONDITION_FAILED</td></tr>
 *   <tr><td>AccessDenied, AccessForbidden, SignatureDoesNotMatch, InvalidAccessKeyId, SecurityTokenExpired,
 *       InvalidSecurityToken, RequestTimeTooSkewed</td><td>401, 403</td><td>DENIED</td></tr>
 *   <tr><td>InvalidArgument, EntityTooSmall, EntityTooLarge, InvalidPart, InvalidPartOrder, InvalidRange,
 *       InvalidObjectName, MalformedXML, MissingArgument, MissingContentLength, NoSuchBucket,
 *       InvalidBucketName</td><td>400, 416</td><td>INVALID</td></tr>
 *   <tr><td>InvalidDigest (Content-MD5 mismatch)</td><td>400</td><td>INTEGRITY</td></tr>
 *   <tr><td>QpsLimitExceeded, Throttling, TooManyRequests, SlowDown, ServiceUnavailable,
 *       (Down|Up)loadTrafficRateLimitExceeded</td><td>429, 503</td><td>THROTTLED</td></tr>
 *   <tr><td>InternalError, RequestTimeout</td><td>500, 502, 504</td><td>UNAVAILABLE</td></tr>
 *   <tr><td>NotImplemented</td><td>501</td><td>NOT_SUPPORTED</td></tr>
 * </table>
 *
 * <p>A code not in the table falls back on the HTTP status when the SDK reports one (it does for error
 * responses without a body, as to HEAD), else OTHER. A missing bucket is INVALID, never NOT_FOUND: callers
 * read NOT_FOUND as "no such object", and a chunk of a volume that is not found reads as zeros.
 *
 * <p>{@link ClientException} (no answer: connection refused, reset, timed out, unknown host) is UNAVAILABLE;
 * the SDK's own CRC check failing ({@link InconsistentException}) is INTEGRITY. Messages name the operation,
 * the key and the OSS error code and request id; they never contain credentials (the SDK's messages do not
 * either, and the canonical string OSS echoes on a bad signature is not copied).
 */
final class OssErrorMapper {

    private static final Map<String, Code> BY_ERROR_CODE = Map.ofEntries(
            Map.entry("NoSuchKey", Code.NOT_FOUND),
            Map.entry("NoSuchUpload", Code.NOT_FOUND),
            Map.entry("NoSuchVersion", Code.NOT_FOUND),
            Map.entry("FileAlreadyExists", Code.PRECONDITION_FAILED),
            Map.entry("ObjectAlreadyExists", Code.PRECONDITION_FAILED),
            Map.entry("PreconditionFailed", Code.PRECONDITION_FAILED),
            Map.entry("AccessDenied", Code.DENIED),
            Map.entry("AccessForbidden", Code.DENIED),
            Map.entry("SignatureDoesNotMatch", Code.DENIED),
            Map.entry("InvalidAccessKeyId", Code.DENIED),
            Map.entry("SecurityTokenExpired", Code.DENIED),
            Map.entry("InvalidSecurityToken", Code.DENIED),
            Map.entry("RequestTimeTooSkewed", Code.DENIED),
            Map.entry("InvalidArgument", Code.INVALID),
            Map.entry("EntityTooSmall", Code.INVALID),
            Map.entry("EntityTooLarge", Code.INVALID),
            Map.entry("InvalidPart", Code.INVALID),
            Map.entry("InvalidPartOrder", Code.INVALID),
            Map.entry("InvalidRange", Code.INVALID),
            Map.entry("InvalidObjectName", Code.INVALID),
            Map.entry("InvalidBucketName", Code.INVALID),
            Map.entry("MalformedXML", Code.INVALID),
            Map.entry("MissingArgument", Code.INVALID),
            Map.entry("MissingContentLength", Code.INVALID),
            Map.entry("NoSuchBucket", Code.INVALID),
            Map.entry("InvalidDigest", Code.INTEGRITY),
            Map.entry("QpsLimitExceeded", Code.THROTTLED),
            Map.entry("Throttling", Code.THROTTLED),
            Map.entry("TooManyRequests", Code.THROTTLED),
            Map.entry("SlowDown", Code.THROTTLED),
            Map.entry("ServiceUnavailable", Code.THROTTLED),
            Map.entry("DownloadTrafficRateLimitExceeded", Code.THROTTLED),
            Map.entry("UploadTrafficRateLimitExceeded", Code.THROTTLED),
            Map.entry("InternalError", Code.UNAVAILABLE),
            Map.entry("RequestTimeout", Code.UNAVAILABLE),
            Map.entry("NotImplemented", Code.NOT_SUPPORTED));

    /** How the SDK words an error response that had no body (its only way of telling the status). */
    private static final Pattern BODYLESS_STATUS = Pattern.compile("http status code (\\d{3})");

    private OssErrorMapper() {}

    /** Maps any failure of an SDK call made for {@code operation} on {@code key} (may be null). */
    static ObjectStoreException map(String operation, String key, RuntimeException failure) {
        String where = operation + (key == null ? "" : " " + key);
        if (failure instanceof OSSException oss) {
            Code code = codeOf(oss.getErrorCode(), oss.getErrorMessage());
            return new ObjectStoreException(
                    code,
                    where + ": OSS " + oss.getErrorCode() + " (" + firstLine(oss.getErrorMessage()) + ", request "
                            + oss.getRequestId() + ")",
                    oss);
        }
        if (failure instanceof InconsistentException crc) {
            return new ObjectStoreException(
                    Code.INTEGRITY,
                    where + ": CRC64 of what was sent "
                            + crc.getClientChecksum() + " differs from the CRC64 OSS computed "
                            + crc.getServerChecksum()
                            + " (request " + crc.getRequestId() + ")",
                    crc);
        }
        if (failure instanceof ClientException client) {
            Code code =
                    ClientErrorCode.NONREPEATABLE_REQUEST.equals(client.getErrorCode()) ? Code.OTHER : Code.UNAVAILABLE;
            return new ObjectStoreException(
                    code,
                    where + ": no answer from OSS: " + client.getErrorCode() + " ("
                            + firstLine(client.getErrorMessage()) + ")",
                    client);
        }
        if (failure instanceof IllegalArgumentException bad) {
            return new ObjectStoreException(Code.INVALID, where + ": " + bad.getMessage(), bad);
        }
        return new ObjectStoreException(Code.OTHER, where + ": " + failure, failure);
    }

    /** The neutral code of an OSS error code, falling back on an HTTP status named in the message. */
    static Code codeOf(String errorCode, String message) {
        Code known = errorCode == null ? null : BY_ERROR_CODE.get(errorCode);
        if (known != null) {
            return known;
        }
        if (message != null) {
            Matcher status = BODYLESS_STATUS.matcher(message);
            if (status.find()) {
                return codeOfStatus(Integer.parseInt(status.group(1)));
            }
        }
        return Code.OTHER;
    }

    /** The neutral code of an HTTP status. */
    static Code codeOfStatus(int status) {
        return switch (status) {
            case 404 -> Code.NOT_FOUND;
            case 409, 412 -> Code.PRECONDITION_FAILED;
            case 401, 403 -> Code.DENIED;
            case 400, 416 -> Code.INVALID;
            case 429, 503 -> Code.THROTTLED;
            case 501 -> Code.NOT_SUPPORTED;
            default -> status >= 500 ? Code.UNAVAILABLE : Code.OTHER;
        };
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
