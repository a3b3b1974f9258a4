package io.jetbus.cli;

/**
 * One {@code jetbus bench} scenario: it builds its own bus, runs, closes the bus and returns what it measured.
 *
 * <p>To add one (for example {@code js-pub} or {@code js-consume}): implement this interface, register an instance in
 * {@link BenchScenarios}, and add any options it needs to {@link BenchOptions} and {@link BenchCommand}. The table,
 * the JSON and the progress bar come for free from {@link BenchResult}, {@link BenchReport} and
 * {@link BenchProgress}; {@link BenchRun} has the helpers that start publishers together and wait for subscribers.
 */
interface BenchScenario
{
    /**
     * The name on the command line.
     *
     * @return e.g. {@code pubsub}.
     */
    String name();

    /**
     * One line for {@code --help}.
     *
     * @return what the scenario measures.
     */
    String summary();

    /**
     * Options for {@code jetbus bench all}: a standard run that keeps the whole set well under two minutes.
     *
     * @return the options.
     */
    BenchOptions standardOptions();

    /**
     * Run once.
     *
     * @param options  what to do.
     * @param progress where to report messages done.
     * @return the measurements.
     * @throws Exception if the run fails or times out.
     */
    BenchResult run(BenchOptions options, BenchProgress progress) throws Exception;
}
