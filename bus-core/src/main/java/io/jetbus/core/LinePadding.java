package io.jetbus.core;

/**
 * Padding for the start of an object whose fields one thread writes on every message while another thread reads
 * memory nearby: 60 bytes of unused fields, so that with the object header the subclass's fields start 72 bytes
 * (more than a cache line) after the end of whatever object the heap puts before it. An allocation order cannot
 * give this guarantee, since the collector moves objects.
 *
 * <p>HotSpot lays a superclass's fields out before a subclass's, and fills a gap the superclass leaves (here none:
 * the int takes the 4 bytes after a compressed header) with the subclass's small fields. For padding after the
 * fields, the hot class is extended once more by a class of seven longs ({@code Padded}).
 */
abstract class LinePadding
{
    @SuppressWarnings("unused")
    private int p;
    @SuppressWarnings("unused")
    private long p0;
    @SuppressWarnings("unused")
    private long p1;
    @SuppressWarnings("unused")
    private long p2;
    @SuppressWarnings("unused")
    private long p3;
    @SuppressWarnings("unused")
    private long p4;
    @SuppressWarnings("unused")
    private long p5;
    @SuppressWarnings("unused")
    private long p6;
}
