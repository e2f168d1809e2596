package dev.speckitty.protocol;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The items {@code build} answers, built one ahead on a thread of their own: the next is built while
 * the caller works on this one (an import's parts: on one thread each side waited for the other).
 * {@code build} answers null after the last; it runs on the one thread, one call at a time, so what it
 * reads needs no lock, and what it wrote is visible to the caller of {@link #next}. What it throws is
 * thrown by {@link #hasNext} or {@link #next}, as it was. {@link #close} lets an item being built
 * finish and drops it (not interrupted: an interrupt could cut a file write short).
 */
public final class OneAhead<T> implements Iterator<T>, AutoCloseable {
    private final ExecutorService builder;
    private final Callable<T> build;
    private Future<T> pending;

    public OneAhead(String thread, Callable<T> build) {
        this.builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        this.build = build;
        this.pending = builder.submit(build);
    }

    @Override
    public boolean hasNext() {
        return join() != null;
    }

    @Override
    public T next() {
        T item = join();
        if (item == null) {
            throw new NoSuchElementException();
        }
        pending = builder.submit(build);
        return item;
    }

    private T join() {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the next item was built", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        builder.shutdown();
    }
}
