package dev.sgw.core.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.sgw.core.store.ForwardingObjectStore;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;

/**
 * Wraps a store to watch and disturb its listings, for fault injection: records each listing request and
 * the keys it returned, fails chosen list calls, delays them, and tracks how many run at once. Every
 * other call passes through.
 */
final class ListingProbe extends ForwardingObjectStore {

    private final List<ListRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> listedKeys = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<ListRequest, ObjectStoreException> fault = request -> null;
    private volatile long delayMillis;

    ListingProbe(ObjectStore inner) {
        super(inner);
    }

    /** List calls from now on fail with what {@code rule} returns for them (null: no fault). */
    ListingProbe failWhen(Function<ListRequest, ObjectStoreException> rule) {
        fault = rule;
        return this;
    }

    /** The list calls after the next {@code calls} ones fail with {@code code}. */
    ListingProbe failAfter(int calls, ObjectStoreException.Code code) {
        AtomicInteger left = new AtomicInteger(calls);
        return failWhen(request -> left.getAndDecrement() > 0 ? null : new ObjectStoreException(code, "injected"));
    }

    ListingProbe healthy() {
        return failWhen(request -> null);
    }

    ListingProbe delay(long millis) {
        delayMillis = millis;
        return this;
    }

    List<ListRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<String> listedKeys() {
        synchronized (listedKeys) {
            return List.copyOf(listedKeys);
        }
    }

    void forget() {
        requests.clear();
        listedKeys.clear();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            requests.add(request);
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            ObjectStoreException failure = fault.apply(request);
            if (failure != null) {
                throw failure;
            }
            ListPage page = super.list(request);
            page.objects().forEach(o -> listedKeys.add(o.key()));
            return page;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(ObjectStoreException.Code.UNAVAILABLE, "interrupted");
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
