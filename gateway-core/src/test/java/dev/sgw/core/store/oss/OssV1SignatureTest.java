package dev.sgw.core.store.oss;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture's V1 signature check against OSS's published example, and its canonical resource. */
class OssV1SignatureTest {

    @Test
    void theDocumentedExampleSignsToTheDocumentedSignature() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Md5", "ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=");
        headers.put("Content-Type", "text/html");
        headers.put("Date", "Thu, 17 Nov 2005 18:49:58 GMT");
        headers.put("X-OSS-Meta-Author", "foo@bar.com");
        headers.put("X-OSS-Magic", "abracadabra");
        headers.put("Host", "oss-example.oss-cn-hangzhou.aliyuncs.com");
        String stringToSign = OssV1Signature.stringToSign("PUT", headers, "oss-example", "nelson", Map.of());
        assertThat(stringToSign)
                .isEqualTo(
                        "PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\n"
                                + "Thu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson");
        assertThat(OssV1Signature.signature("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV", stringToSign))
                .isEqualTo("26NBxoKdsyly4EDv6inkoDft/yA=");
    }

    @Test
    void onlyOssSubResourcesAreSignedSortedByNameWithDecodedValues() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("uploadId", "a b");
        query.put("prefix", "not/signed");
        query.put("partNumber", "3");
        query.put("uploads", null);
        String stringToSign = OssV1Signature.stringToSign("GET", Map.of("Date", "d"), "b", "k/ü x", query);
        assertThat(stringToSign).isEqualTo("GET\n\n\nd\n/b/k/ü x?partNumber=3&uploadId=a b&uploads");
        assertThat(OssV1Signature.stringToSign("GET", Map.of("Date", "d"), "b", "", Map.of("prefix", "p")))
                .endsWith("\n/b/");
    }
}
