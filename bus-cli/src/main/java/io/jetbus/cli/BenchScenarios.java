package io.jetbus.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The registry of {@code jetbus bench} scenarios, in the order {@code bench all} runs them. Register new ones here.
 */
final class BenchScenarios
{
    /** Every scenario; {@code bench all} runs each with its {@link BenchScenario#standardOptions()}. */
    static final List<BenchScenario> ALL = List.of(
        new PublishScenario("pub", PublishScenario.Kind.PUB,
            "publishers only, nobody subscribed: the cost of a publish",
            new BenchOptions(2_000_000, 16, 1, 0)),
        new PublishScenario("sub", PublishScenario.Kind.SUB,
            "every subscriber gets every message; reports the subscriber side",
            new BenchOptions(1_000_000, 16, 1, 1)),
        new PublishScenario("pubsub", PublishScenario.Kind.PUBSUB,
            "publishers and subscribers, fan-out: every subscriber gets every message",
            new BenchOptions(1_000_000, 16, 1, 4)),
        new PublishScenario("queue", PublishScenario.Kind.QUEUE,
            "the subscribers form one queue group: each message goes to one of them",
            new BenchOptions(1_000_000, 16, 1, 4)),
        new RequestScenario(),
        new JsPublishScenario(false),
        new JsPublishScenario(true),
        new JsConsumeScenario());

    private BenchScenarios()
    {
    }

    /**
     * The scenario with this name.
     *
     * @param name as typed.
     * @return the scenario.
     * @throws IllegalArgumentException naming the known scenarios when there is none by that name.
     */
    static BenchScenario named(final String name)
    {
        for (final BenchScenario scenario : ALL)
        {
            if (scenario.name().equals(name))
            {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario \"" + name + "\": expected one of " + names() +
            " or all");
    }

    static String names()
    {
        return ALL.stream().map(BenchScenario::name).collect(Collectors.joining(", "));
    }
}
