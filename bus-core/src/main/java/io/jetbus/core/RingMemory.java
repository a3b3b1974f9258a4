package io.jetbus.core;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The off-heap memory of one ring: {@code capacity} bytes plus Agrona's trailer, starting on a cache-line pair
 * boundary. {@link ByteBuffer#allocateDirect} only aligns to 8 or 16 bytes, so a ring placed there lets records
 * straddle cache lines and, worse, move between runs; aligned, a 64-byte record is exactly one line and every run
 * lays the ring out the same way. Agrona's {@code BufferUtil.allocateDirectAligned} aligns too, but returns a
 * slice whose memory {@code BufferUtil.free} cannot release; this class keeps the allocation to free it.
 */
final class RingMemory
{
    /** Two cache lines: the unit the adjacent-line prefetcher moves, as Agrona pads its own ring counters. */
    private static final int ALIGNMENT = 2 * 64;

    /** The ring's bytes, trailer included, for writers and the ring itself. */
    final UnsafeBuffer buffer;
    /** A read-only view of the same bytes at the same indexes, for handlers' zero-copy payload views. */
    final ByteBuffer readOnlyView;
    private final ByteBuffer allocation;

    RingMemory(final int capacity)
    {
        final int length = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        allocation = ByteBuffer.allocateDirect(length + ALIGNMENT);
        final int misalignment = (int)(BufferUtil.address(allocation) & (ALIGNMENT - 1));
        final int offset = misalignment == 0 ? 0 : ALIGNMENT - misalignment;
        final ByteBuffer ring = allocation.duplicate().position(offset).limit(offset + length).slice();
        buffer = new UnsafeBuffer(ring);
        readOnlyView = ring.asReadOnlyBuffer();
    }

    /** Release the memory; nothing may touch the ring afterwards. */
    void free()
    {
        BufferUtil.free(allocation);
    }
}
