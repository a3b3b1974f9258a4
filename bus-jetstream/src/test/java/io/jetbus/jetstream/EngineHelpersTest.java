package io.jetbus.jetstream;

import io.jetbus.api.Headers;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.StorageFullException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's small helpers: subject overlap, PubAck JSON, stored headers, the duplicate window.
 */
class EngineHelpersTest
{
    @Test
    void shouldTellWhetherTwoPatternsOverlap()
    {
        assertThat(SubjectRouter.overlap("a.b", "a.b")).isTrue();
        assertThat(SubjectRouter.overlap("a.*", "a.b")).isTrue();
        assertThat(SubjectRouter.overlap("a.>", "a.b.c")).isTrue();
        assertThat(SubjectRouter.overlap(">", "x")).isTrue();
        assertThat(SubjectRouter.overlap("*.b", "a.*")).isTrue();
        assertThat(SubjectRouter.overlap("a.>", "a")).isFalse();
        assertThat(SubjectRouter.overlap("a.*", "a.b.c")).isFalse();
        assertThat(SubjectRouter.overlap("a.b", "a.c")).isFalse();
        assertThat(SubjectRouter.overlap("a", "ab")).isFalse();
    }

    @Test
    void shouldWritePubAckJsonAsNatsDoes()
    {
        assertThat(PubAckJson.ack(new PubAck("S", 7, false))).isEqualTo("{\"stream\":\"S\",\"seq\":7}");
        assertThat(PubAckJson.ack(new PubAck("S", 7, true)))
            .isEqualTo("{\"stream\":\"S\",\"seq\":7,\"duplicate\":true}");
        assertThat(PubAckJson.error(JetStreamApiException.wrongLastSequence("S", 1, 2)))
            .isEqualTo("{\"error\":{\"code\":400,\"err_code\":10071,\"description\":" +
                "\"wrong last sequence: 2 in stream \\\"S\\\", expected 1\"}}");
        assertThat(PubAckJson.error(new StorageFullException("/d\\x", 1, 2)))
            .isEqualTo("{\"error\":{\"code\":500,\"err_code\":10077,\"description\":" +
                "\"storage dir /d\\\\x is full: usable space 1 bytes is below the reserve of 2 bytes\"}}");
        assertThat(PubAckJson.quote(new StringBuilder(), "a\nb\u0001").toString()).isEqualTo("\"a\\nb\\u0001\"");
    }

    @Test
    void shouldRoundTripStoredHeaders()
    {
        final Headers headers = new Headers().add("Nats-Msg-Id", "id-1").add("multi", "1", "é");
        final byte[] stored = StoredHeaders.encode(headers);
        assertThat(StoredHeaders.decode(stored)).isEqualTo(headers);
        assertThat(StoredHeaders.first(stored, "Nats-Msg-Id")).isEqualTo("id-1");
        assertThat(StoredHeaders.encode(null)).isEmpty();
        assertThat(StoredHeaders.encode(new Headers())).isEmpty();
        assertThat(StoredHeaders.decode(new byte[0]).isEmpty()).isTrue();
        assertThat(StoredHeaders.first(new byte[0], "x")).isNull();
        assertThatThrownBy(() -> StoredHeaders.decode(new byte[] {5, 0, 0, 0, 9}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid stored headers of 5 bytes: ");
    }

    @Test
    void shouldForgetIdsOlderThanTheWindow()
    {
        final DuplicateWindow window = new DuplicateWindow(100);
        window.add("a", 1, 0, 0);
        window.add("b", 2, 50, 50);
        window.add("old", 3, 0, 100);
        assertThat(window.seqOf("a", 99)).isEqualTo(1);
        assertThat(window.seqOf("a", 100)).isZero();
        assertThat(window.seqOf("b", 149)).isEqualTo(2);
        assertThat(window.size()).isEqualTo(1);
        assertThat(window.seqOf("old", 100)).isZero();
        window.windowNs(0);
        assertThat(window.size()).isZero();
        window.add("c", 4, 200, 200);
        assertThat(window.seqOf("c", 200)).isZero();
    }
}
