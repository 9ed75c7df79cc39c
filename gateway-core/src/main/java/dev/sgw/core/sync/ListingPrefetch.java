package dev.sgw.core.sync;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;

/**
 * The pages of one listing, each asked for as soon as the one before it arrives, so that the store works
 * on page n+1 while the caller merges page n. At most one request is in flight; a failed request fails the
 * {@link #next()} that would have returned its page.
 */
final class ListingPrefetch implements AutoCloseable {

    private final ObjectStore store;
    private final Executor executor;
    private CompletableFuture<ListPage> pending;
    private ListRequest request;

    ListingPrefetch(ObjectStore store, ListRequest first, Executor executor) {
        this.store = store;
        this.executor = executor;
        this.request = first;
        this.pending = fetch(first);
    }

    /** The request that returned the page {@link #next()} returns next. */
    ListRequest request() {
        return request;
    }

    /** Waits for the next page and starts fetching the one after it. */
    ListPage next() throws IOException {
        ListPage page;
        try {
            page = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing " + request);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("listing failed: " + e.getCause(), e.getCause());
        }
        if (page.isLast()) {
            pending = null;
        } else {
            request = request.next(page.nextToken());
            pending = fetch(request);
        }
        return page;
    }

    private CompletableFuture<ListPage> fetch(ListRequest next) {
        CompletableFuture<ListPage> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(store.list(next));
            } catch (ObjectStoreException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Forgets a page still in flight (its request finishes in the background and is dropped). */
    @Override
    public void close() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
