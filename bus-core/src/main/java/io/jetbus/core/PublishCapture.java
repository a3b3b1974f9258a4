package io.jetbus.core;

import io.jetbus.api.Headers;

import java.nio.ByteBuffer;

/**
 * How the JetStream engine stores the core publishes its streams capture, as a NATS server does. A hook for
 * {@code bus-jetstream}, not for applications: install it with {@link EmbeddedBus#capture(PublishCapture)}.
 */
public interface PublishCapture
{
    /**
     * Whether a stream captures this subject. Called on every core publish while the hook is installed, so it must
     * be cheap and must not allocate on a cache hit.
     *
     * @param subject a valid publish subject.
     * @return true if {@link #capture} must see the message.
     */
    boolean captures(String subject);

    /**
     * Store a core publish, on the publisher's thread, before the message is delivered to core subscribers. A
     * failure to store is the engine's to report (to the reply subject and the error listener); an exception thrown
     * here fails the publish and the message is not delivered.
     *
     * @param subject the subject.
     * @param replyTo the reply subject, or null.
     * @param headers the headers, or null.
     * @param data the payload, from its position to its limit; read-only and valid only during the call.
     */
    void capture(String subject, String replyTo, Headers headers, ByteBuffer data);
}
