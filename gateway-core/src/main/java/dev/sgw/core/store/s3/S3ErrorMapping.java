package dev.sgw.core.store.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where S3 errors become {@link ObjectStoreException} codes (s3backer's one switch from
 * HTTP status to errno). The S3 error code decides first, the HTTP status second:
 *
 * <pre>
 *  S3 error code                                         HTTP status       -> Code
 *  NoSuchKey, NoSuchUpload                               404               -> NOT_FOUND
 *  PreconditionFailed, ConditionalRequestConflict        412, 409 (those)  -> PRECONDITION_FAILED
 *  AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId,
 *    ExpiredToken, InvalidToken, AllAccessDisabled        401, 403          -> DENIED
 *  SlowDown, RequestLimitExceeded, ServiceUnavailable    429, 503          -> THROTTLED
 *  InternalError, RequestTimeout                         other 5xx         -> UNAVAILABLE
 *  BadDigest, InvalidDigest, XAmzContentSHA256Mismatch   (400)             -> INTEGRITY
 *  InvalidRange, InvalidArgument, EntityTooSmall, EntityTooLarge, InvalidPart,
 *    InvalidPartOrder, InvalidRequest, KeyTooLongError,
 *    MalformedXML                                         416               -> INVALID
 *  NotImplemented                                        501               -> NOT_SUPPORTED
 *  anything else (NoSuchBucket included: a missing bucket is a setup error,
 *    never "this key is absent")                                           -> OTHER
 *  no answer: I/O error, refused connection, timeout (SdkClientException)  -> UNAVAILABLE
 * </pre>
 *
 * A HEAD has no error body, so a 404 there is NOT_FOUND whether the key or the bucket is missing.
 *
 * <p>Messages name the operation, the key and the store's error code and message; never credentials
 * (the signing details S3 returns with SignatureDoesNotMatch are not copied).
 */
final class S3ErrorMapping {

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchUpload", "NoSuchVersion");
    private static final Set<String> PRECONDITION = Set.of("PreconditionFailed", "ConditionalRequestConflict");
    private static final Set<String> DENIED = Set.of(
            "AccessDenied",
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId",
            "ExpiredToken",
            "InvalidToken",
            "TokenRefreshRequired",
            "AllAccessDisabled",
            "AccountProblem",
            "InvalidSecurity",
            "MissingSecurityHeader");
    private static final Set<String> THROTTLED = Set.of(
            "SlowDown",
            "RequestLimitExceeded",
            "ServiceUnavailable",
            "TooManyRequests",
            "Throttling",
            "ThrottlingException");
    private static final Set<String> UNAVAILABLE = Set.of("InternalError", "RequestTimeout", "RequestTimeTooSkewed");
    private static final Set<String> INTEGRITY =
            Set.of("BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "XAmzContentChecksumMismatch");
    private static final Set<String> INVALID = Set.of(
            "InvalidRange",
            "InvalidArgument",
            "EntityTooSmall",
            "EntityTooLarge",
            "InvalidPart",
            "InvalidPartOrder",
            "InvalidRequest",
            "KeyTooLongError",
            "MalformedXML",
            "InvalidObjectName",
            "IncompleteBody",
            "MetadataTooLarge",
            "InvalidURI");
    private static final Set<String> NOT_SUPPORTED = Set.of("NotImplemented");

    private S3ErrorMapping() {}

    /** The code of an S3 error answer: its error code (may be null) first, its HTTP status (0 if unknown) second. */
    static Code code(int status, String errorCode) {
        if (errorCode != null) {
            if (NOT_FOUND.contains(errorCode)) {
                return Code.NOT_FOUND;
            }
            if (PRECONDITION.contains(errorCode)) {
                return Code.PRECONDITION_FAILED;
            }
            if (DENIED.contains(errorCode)) {
                return Code.DENIED;
            }
            if (THROTTLED.contains(errorCode)) {
                return Code.THROTTLED;
            }
            if (UNAVAILABLE.contains(errorCode)) {
                return Code.UNAVAILABLE;
            }
            if (INTEGRITY.contains(errorCode)) {
                return Code.INTEGRITY;
            }
            if (INVALID.contains(errorCode)) {
                return Code.INVALID;
            }
            if (NOT_SUPPORTED.contains(errorCode)) {
                return Code.NOT_SUPPORTED;
            }
            if (errorCode.equals("NoSuchBucket")) {
                return Code.OTHER;
            }
        }
        return switch (status) {
            case 404 -> Code.NOT_FOUND;
            case 412 -> Code.PRECONDITION_FAILED;
            case 401, 403 -> Code.DENIED;
            case 429, 503 -> Code.THROTTLED;
            case 416 -> Code.INVALID;
            case 501 -> Code.NOT_SUPPORTED;
            default -> status >= 500 ? Code.UNAVAILABLE : Code.OTHER;
        };
    }

    /** Maps any failure of an S3 call on {@code key} ({@code null} for bucket-wide calls). */
    static ObjectStoreException map(String operation, String key, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ObjectStoreException known) {
                return known;
            }
            if (t instanceof BodyReadFailure unreadable) {
                return new ObjectStoreException(
                        Code.INVALID,
                        where(operation, key) + ": cannot read the body: "
                                + unreadable.getCause().getMessage(),
                        failure);
            }
        }
        if (failure instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            String errorCode = details == null ? null : details.errorCode();
            String errorMessage = details == null ? null : details.errorMessage();
            Code code = code(service.statusCode(), errorCode);
            return new ObjectStoreException(
                    code,
                    where(operation, key) + ": S3 " + (errorCode == null ? "error" : errorCode)
                            + " (HTTP " + service.statusCode() + ")" + (errorMessage == null ? "" : ": " + errorMessage)
                            + (service.requestId() == null ? "" : " [request " + service.requestId() + "]"),
                    failure);
        }
        if (failure instanceof SdkClientException
                || failure instanceof IOException
                || failure instanceof UncheckedIOException) {
            return new ObjectStoreException(
                    Code.UNAVAILABLE,
                    where(operation, key) + ": no answer from the store: " + failure.getMessage(),
                    failure);
        }
        if (failure instanceof SdkException) {
            return new ObjectStoreException(Code.OTHER, where(operation, key) + ": " + failure.getMessage(), failure);
        }
        return new ObjectStoreException(Code.OTHER, where(operation, key) + ": " + failure, failure);
    }

    private static String where(String operation, String key) {
        return key == null ? operation : operation + " " + key;
    }

    /** A local body (file or array) that could not be read while the SDK sent it; it is not the store's fault. */
    static final class BodyReadFailure extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        BodyReadFailure(IOException cause) {
            super(cause);
        }
    }
}
