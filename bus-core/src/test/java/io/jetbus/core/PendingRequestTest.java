package io.jetbus.core;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

class PendingRequestTest
{
    private static final byte[] PREFIX = "_INBOX.b1-7.".getBytes(US_ASCII);

    @Test
    void shouldWriteTokenInBase36AfterInboxPrefix()
    {
        assertThat(PendingRequest.replySubject(PREFIX, 1)).isEqualTo("_INBOX.b1-7.1");
        assertThat(PendingRequest.replySubject(PREFIX, 36)).isEqualTo("_INBOX.b1-7.10");
        assertThat(PendingRequest.replySubject(PREFIX, Long.MAX_VALUE))
            .isEqualTo("_INBOX.b1-7." + Long.toString(Long.MAX_VALUE, 36));
    }

    @Test
    void shouldParseEveryTokenItWrites()
    {
        final long[] tokens = {1, 9, 10, 35, 36, 1295, 1296, 123_456_789L, Long.MAX_VALUE / 36, Long.MAX_VALUE};
        for (final long token : tokens)
        {
            assertThat(PendingRequest.parseToken(PendingRequest.replySubject(PREFIX, token))).isEqualTo(token);
        }
    }

    @Test
    void shouldRejectLastTokensItNeverWrites()
    {
        final String[] others = {"_INBOX.b1-7.", "_INBOX.b1-7.0", "_INBOX.b1-7.05", "_INBOX.b1-7.A", "_INBOX.b1-7.a-b",
            "_INBOX.b1-7.1y2p0ij32e8e8", "_INBOX.b1-7.zzzzzzzzzzzzz", "_INBOX.b1-7.10000000000000", "_INBOX.b1-7.é"};
        for (final String subject : others)
        {
            assertThat(PendingRequest.parseToken(subject)).as(subject).isZero();
        }
    }
}
