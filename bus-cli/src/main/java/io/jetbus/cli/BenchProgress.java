package io.jetbus.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A progress bar on a terminal: a daemon thread redraws one line of stderr five times a second from a counter the
 * scenario exposes, so the hot path pays nothing for it. {@link #none()} draws nothing (logs stay clean).
 */
class BenchProgress
{
    private static final long REDRAW_MS = 200;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private Thread thread;
    private CountDownLatch stopped;

    BenchProgress(final PrintStream err)
    {
        this.err = err;
    }

    /**
     * A progress that shows nothing.
     *
     * @return the silent progress.
     */
    static BenchProgress none()
    {
        return new BenchProgress(null);
    }

    /**
     * Start drawing.
     *
     * @param label what runs.
     * @param total the count at which the bar is full.
     * @param done  the count so far; read from the drawing thread.
     */
    void start(final String label, final long total, final LongSupplier done)
    {
        if (err == null)
        {
            return;
        }
        final CountDownLatch stop = new CountDownLatch(1);
        stopped = stop;
        thread = new Thread(() ->
        {
            try
            {
                do
                {
                    draw(label, total, done.getAsLong());
                }
                while (!stop.await(REDRAW_MS, TimeUnit.MILLISECONDS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "jetbus-bench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stop drawing and clear the line.
     *
     * @throws InterruptedException if interrupted while waiting for the drawing thread.
     */
    void stop() throws InterruptedException
    {
        if (thread == null)
        {
            return;
        }
        stopped.countDown();
        thread.join();
        thread = null;
        err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
        err.flush();
    }

    private void draw(final String label, final long total, final long done)
    {
        final double fraction = total <= 0 ? 0 : Math.min(1.0, (double)done / total);
        final int filled = (int)(fraction * WIDTH);
        err.printf("\r%-10s [%s%s] %3.0f%% %,d/%,d", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
            fraction * 100, Math.min(done, total), total);
        err.flush();
    }
}
