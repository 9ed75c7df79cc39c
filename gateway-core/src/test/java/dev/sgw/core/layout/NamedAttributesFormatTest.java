package dev.sgw.core.layout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.Deflater;

import dev.sgw.core.volume.NamedAttributes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored form of named attributes: both forms read back, and anything damaged is refused whole. */
class NamedAttributesFormatTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static NavigableMap<String, byte[]> sample() {
        NavigableMap<String, byte[]> m = new TreeMap<>();
        m.put("smb.sd", new byte[] {1, 0, 4, (byte) 0x80, 20, 0, 0, 0});
        m.put("smb.ea.Grüße 🎉", utf8("value"));
        m.put("smb.stream.empty", new byte[0]);
        m.put("x", new byte[300]); // a two-byte length
        return m;
    }

    private static void assertSameMap(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isEqualTo(v));
    }

    @Test
    void bothFormsReadBackWhatWasWritten() {
        NavigableMap<String, byte[]> m = sample();
        byte[] plain = NamedAttributesFormat.encode(m);
        assertThat(plain[0]).isEqualTo(NamedAttributesFormat.PLAIN);
        assertSameMap(NamedAttributesFormat.decode(plain), m);
        byte[] compact = NamedAttributesFormat.compact(m);
        assertThat(compact[0]).as("300 zero bytes deflate well").isEqualTo(NamedAttributesFormat.DEFLATED);
        assertThat(compact.length).isLessThan(plain.length);
        assertSameMap(NamedAttributesFormat.decode(compact), m);
        assertThat(NamedAttributesFormat.decode(NamedAttributesFormat.encode(Map.of())))
                .isEmpty();
        byte[] random = new byte[64];
        new Random(3).nextBytes(random);
        byte[] incompressible = NamedAttributesFormat.compact(Map.of("r", random));
        assertThat(incompressible[0])
                .as("kept plain when deflating does not help")
                .isEqualTo(NamedAttributesFormat.PLAIN);
    }

    @Test
    void theLargestSetANodeMayHoldFitsAndMoreIsRefused() {
        NavigableMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            m.put("n" + i, new byte[NamedAttributes.MAX_VALUE_BYTES - 2]);
        }
        assertThat(NamedAttributesFormat.decode(NamedAttributesFormat.compact(m)))
                .hasSize(4);
        m.put("n4", new byte[1]);
        byte[] over = NamedAttributesFormat.encode(m);
        assertThatThrownBy(() -> NamedAttributesFormat.decode(over)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void damagedFormsAreRefused() {
        byte[] plain = NamedAttributesFormat.encode(sample());
        for (int cut = 1; cut < plain.length; cut++) {
            byte[] truncated = Arrays.copyOf(plain, cut);
            // cutting between entries leaves a valid shorter set; anything else is refused
            try {
                var decoded = NamedAttributesFormat.decode(truncated);
                assertThat(sample().keySet()).containsAll(decoded.keySet());
            } catch (IllegalArgumentException refused) {
                assertThat(refused).hasMessageContaining("named attribute");
            }
        }
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[] {9})).hasMessageContaining("form 9");
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[] {1, 1, 0, 0}))
                .as("NUL in a name")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[] {1, 1, (byte) 0xC3, 0}))
                .as("not UTF-8")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[] {1, 1, 'b', 0, 1, 'a', 0}))
                .as("unsorted")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[] {1, 1, 'a', 0, 1, 'a', 0}))
                .as("repeated")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedAttributesFormat.decode(new byte[] {2, 1, 2, 3}))
                .as("not DEFLATE")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBucketValueIsUnpaddedBase64AndASymlinksTargetCountsAgainstTheBudget() {
        String value = BucketLayout.namedAttributesValue(sample());
        assertThat(value).matches("[A-Za-z0-9+/]+");
        assertSameMap(
                BucketLayout.namedAttributes(Map.of(BucketLayout.NAMED, value)).orElseThrow(), sample());
        assertThat(BucketLayout.namedAttributes(Map.of())).isEmpty();
        assertThat(BucketLayout.namedAttributesFit(value, null)).isTrue();
        String target = "t".repeat(BucketLayout.NAMED_BUDGET - value.length());
        assertThat(BucketLayout.namedAttributesFit(value, target)).isTrue();
        assertThat(BucketLayout.namedAttributesFit(value, target + "é")).isFalse();
        assertThatThrownBy(() -> BucketLayout.namedAttributes(Map.of(BucketLayout.NAMED, "*")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDeflateBombIsRefusedWithoutInflatingIt() {
        byte[] zeros = new byte[16 << 20];
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(zeros);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(NamedAttributesFormat.DEFLATED);
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        assertThatThrownBy(() -> NamedAttributesFormat.decode(out.toByteArray()))
                .hasMessageContaining("beyond the limits");
    }
}
