package dev.sgw.core.store.oss;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OssStoreConfigTest {

    private final OssStoreConfig config = OssStoreConfig.of(
                    URI.create("https://oss-cn-hangzhou.aliyuncs.com"), "bucket-1", "LTAI5tAbCdEfGh", "s3cr3t-v4lue")
            .withSecurityToken("CAIStoken-value");

    @Test
    void toStringNamesTheBucketAndMasksEverySecret() {
        String text = config.toString();
        assertThat(text)
                .contains("oss-cn-hangzhou.aliyuncs.com", "bucket-1", "LTAI****", "signing=V1")
                .doesNotContain("s3cr3t-v4lue", "CAIStoken-value", "5tAbCdEfGh");
        assertThat(config.withRegion("cn-hangzhou").toString()).contains("signing=V4/cn-hangzhou");
    }

    @Test
    void badEndpointsAndSizesAreRefused() {
        assertThatThrownBy(() -> OssStoreConfig.of(URI.create("ftp://host"), "b", "id", "secret"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMultipartCopy(2L << 30, 256L << 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withCredentials("id", " ", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cr3t");
        assertThat(config.withSecurityToken(" ").securityToken()).isNull();
    }
}
