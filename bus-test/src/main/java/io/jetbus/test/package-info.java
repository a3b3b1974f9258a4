/**
 * The Jetbus test kit: unit-test event-driven code against a real in-process bus, without a broker and without
 * sleeping.
 *
 * <ul>
 *     <li>{@link io.jetbus.test.JetbusTest} puts a fresh bus on every test, injects it (and a connection, the
 *     {@link io.jetbus.test.VirtualClock} and the {@link io.jetbus.test.JetbusKit}) into parameters and fields, closes
 *     it afterwards, and fails the test when a handler threw, a message was dropped, or a thread or file was left
 *     open.</li>
 *     <li>{@link io.jetbus.test.VirtualClock} puts every bus timer (request timeouts, JetStream ack waits, backoffs,
 *     expiries) under the test's control: {@code advance(Duration)} fires what falls due, in order.</li>
 *     <li>{@link io.jetbus.test.MessageRecorder} records what arrives on a subject pattern and waits for it with a
 *     deadline; {@link io.jetbus.test.ResponderStub} answers requests and records them;
 *     {@link io.jetbus.test.JetbusKit#awaitIdle()} waits until every handler has run on what was published.</li>
 *     <li>{@link io.jetbus.test.JetStreamInspector} reads stream and consumer positions through the public JetStream
 *     API.</li>
 * </ul>
 *
 * <p>Waiting is done with locks, conditions and futures against a real-time deadline; nothing in the kit sleeps.
 */
package io.jetbus.test;
