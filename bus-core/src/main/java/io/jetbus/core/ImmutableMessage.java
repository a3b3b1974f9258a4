package io.jetbus.core;

import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;

import java.nio.ByteBuffer;

/**
 * A message that owns its bytes: what synchronous subscriptions and request futures hand out, and what
 * {@link Message#copy()} returns. Immutable and safe for concurrent use.
 */
class ImmutableMessage implements Message
{
    private final String subject;
    private final String replyTo;
    private final Headers headers;
    private final byte[] data;
    private final Subscription subscription;

    ImmutableMessage(
        final String subject,
        final String replyTo,
        final Headers headers,
        final byte[] data,
        final Subscription subscription)
    {
        this.subject = subject;
        this.replyTo = replyTo;
        this.headers = headers == null ? Headers.empty() : headers.readOnlyCopy();
        this.data = data;
        this.subscription = subscription;
    }

    @Override
    public String subject()
    {
        return subject;
    }

    @Override
    public String replyTo()
    {
        return replyTo;
    }

    @Override
    public boolean hasHeaders()
    {
        return !headers.isEmpty();
    }

    @Override
    public Headers headers()
    {
        return headers;
    }

    @Override
    public int dataLength()
    {
        return data.length;
    }

    @Override
    public byte[] data()
    {
        return data.clone();
    }

    @Override
    public ByteBuffer dataBuffer()
    {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    @Override
    public Subscription subscription()
    {
        return subscription;
    }

    @Override
    public Message copy()
    {
        return this;
    }

    @Override
    public String toString()
    {
        return "Message{subject=" + subject + (replyTo == null ? "" : ", replyTo=" + replyTo) +
            (headers.isEmpty() ? "" : ", headers=" + headers) + ", dataLength=" + data.length + '}';
    }
}
