package dev.sgw.core.store;

import java.util.List;

/** One page of unfinished multipart uploads, in key order; {@code nextToken} is null on the last page. */
public record UploadPage(List<PendingUpload> uploads, String nextToken) {

    public UploadPage {
        uploads = List.copyOf(uploads);
    }
}
