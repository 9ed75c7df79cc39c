package dev.sgw.core.store;

import java.util.List;

/**
 * One page of a listing in key order.
 *
 * @param objects        the objects of this page (user metadata is empty in listings; crc64 usually unknown)
 * @param commonPrefixes with a delimiter, the "directories" rolled up on this page, each ending in the delimiter
 * @param nextToken      opaque token for the next page, or {@code null} when this is the last page
 */
public record ListPage(List<ObjectInfo> objects, List<String> commonPrefixes, String nextToken) {

    public ListPage {
        objects = List.copyOf(objects);
        commonPrefixes = List.copyOf(commonPrefixes);
    }

    public boolean isLast() {
        return nextToken == null;
    }
}
