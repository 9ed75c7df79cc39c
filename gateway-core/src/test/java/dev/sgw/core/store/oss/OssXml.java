package dev.sgw.core.store.oss;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The XML of the OSS protocol as the fixture speaks it: documents without a namespace (the OSS SDK does
 * not read S3's {@code http://s3.amazonaws.com/doc/2006-03-01/} namespace), OSS's element names, ETags in
 * quotes, times in ISO 8601 with milliseconds; and the two request bodies the backend sends
 * (CompleteMultipartUpload and Delete).
 */
final class OssXml {

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final List<String> open = new ArrayList<>();

    /** Starts a document whose root is {@code root}. */
    static OssXml document(String root) {
        return new OssXml().start(root);
    }

    OssXml start(String element) {
        xml.append('<').append(element).append('>');
        open.add(element);
        return this;
    }

    OssXml end() {
        xml.append("</").append(open.removeLast()).append('>');
        return this;
    }

    /** An element with text, skipped when {@code text} is null. */
    OssXml text(String element, Object text) {
        if (text != null) {
            xml.append('<')
                    .append(element)
                    .append('>')
                    .append(escape(text.toString()))
                    .append("</")
                    .append(element)
                    .append('>');
        }
        return this;
    }

    OssXml time(String element, Instant time) {
        return text(element, ISO.format(time));
    }

    OssXml etag(String element, String etag) {
        return text(element, "\"" + etag + "\"");
    }

    byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The error body OSS sends with a failed request. */
    static byte[] error(String code, String message, String requestId) {
        return document("Error")
                .text("Code", code)
                .text("Message", message)
                .text("RequestId", requestId)
                .text("HostId", "oss-fixture.local")
                .toBytes();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    // ---- request bodies ----------------------------------------------------------------------------

    /** A part as CompleteMultipartUpload lists it. */
    record PartRef(int partNumber, String etag) {}

    /** The parts of a {@code <CompleteMultipartUpload>} body, in the order given. */
    static List<PartRef> parseCompleteParts(byte[] body) throws Exception {
        List<PartRef> parts = new ArrayList<>();
        for (Element part : children(parse(body).getDocumentElement(), "Part")) {
            String etag = childText(part, "ETag").replace("\"", "");
            parts.add(new PartRef(Integer.parseInt(childText(part, "PartNumber").trim()), etag));
        }
        return parts;
    }

    /** A {@code <Delete>} body: quiet or not, and the keys. */
    record DeleteRequest(boolean quiet, List<String> keys) {}

    static DeleteRequest parseDelete(byte[] body) throws Exception {
        Element root = parse(body).getDocumentElement();
        List<String> keys = new ArrayList<>();
        for (Element object : children(root, "Object")) {
            keys.add(childText(object, "Key"));
        }
        List<Element> quiet = children(root, "Quiet");
        return new DeleteRequest(
                !quiet.isEmpty()
                        && "true".equalsIgnoreCase(quiet.get(0).getTextContent().trim()),
                keys);
    }

    private static Document parse(byte[] body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String childText(Element parent, String name) {
        List<Element> found = children(parent, name);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no <" + name + "> in <" + parent.getTagName() + ">");
        }
        return found.get(0).getTextContent();
    }
}
