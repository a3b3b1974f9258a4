package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.ManualTimeSource;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** The child JVM of {@link RestartTest}: runs one scenario, prints its snapshot, then waits to be killed. */
final class RestartChild
{
    private RestartChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ManualTimeSource clock = new ManualTimeSource();
        final EmbeddedBus bus = EmbeddedBus.builder().storageDir(Path.of(args[0])).timeSource(clock).build();
        final Connection nc = bus.connect();
        final RestartScenario scenario = RestartScenario.valueOf(args[1]);
        scenario.run(nc, clock);
        System.out.println("SNAPSHOT " + RestartScenario.snapshot(nc.jetStreamManagement()));
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
