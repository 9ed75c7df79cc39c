package dev.sgw.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Text parsing follows RFC 7143 section 6.1 and refuses what breaks it. */
class KeyValueTextTest {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesPairsInOrderAndIgnoresNulPadding() throws Exception {
        List<KeyValue> kv =
                KeyValueText.parse(text("InitiatorName=iqn.x:y\0HeaderDigest=None,CRC32C\0SendTargets=\0\0\0"));
        assertThat(kv)
                .containsExactly(
                        new KeyValue("InitiatorName", "iqn.x:y"),
                        new KeyValue("HeaderDigest", "None,CRC32C"),
                        new KeyValue("SendTargets", ""));
        assertThat(KeyValueText.parse(KeyValueText.encode(kv))).isEqualTo(kv);
        assertThat(KeyValueText.find(kv, "HeaderDigest")).isEqualTo("None,CRC32C");
        assertThat(KeyValueText.find(kv, "DataDigest")).isNull();
    }

    @Test
    void refusesMalformedText() {
        assertThatThrownBy(() -> KeyValueText.parse(text("NoEquals\0"))).isInstanceOf(TextFormatException.class);
        assertThatThrownBy(() -> KeyValueText.parse(text("A=1\0A=2\0"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> KeyValueText.parse(text("A=1"))).hasMessageContaining("NUL");
        assertThatThrownBy(() -> KeyValueText.parse(text("Bad Key=1\0"))).hasMessageContaining("invalid key");
        assertThatThrownBy(() -> KeyValueText.parse(text("=1\0"))).isInstanceOf(TextFormatException.class);
    }

    @Test
    void chapValuesAreMaskedWhenPrinted() {
        assertThat(new KeyValue("CHAP_R", "0x1234").toString()).isEqualTo("CHAP_R=****");
        assertThat(new KeyValue("CHAP_N", "alice").toString()).isEqualTo("CHAP_N=alice");
    }

    @Test
    void binaryValuesInHexAndBase64() {
        assertThat(ChapValue.decode("0x0aff")).containsExactly(0x0a, 0xff);
        assertThat(ChapValue.decode("0XAFF")).containsExactly(0x0a, 0xff);
        assertThat(ChapValue.decode("0bCv8=")).containsExactly(0x0a, 0xff);
        assertThat(ChapValue.hex(new byte[] {0x0a, (byte) 0xff})).isEqualTo("0x0AFF");
        assertThat(ChapValue.decode(ChapValue.base64(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
        assertThat(ChapValue.number("200")).isEqualTo(200);
        assertThat(ChapValue.number("0xc8")).isEqualTo(200);
        assertThatThrownBy(() -> ChapValue.decode("1234")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChapValue.number("12a")).isInstanceOf(IllegalArgumentException.class);
    }
}
